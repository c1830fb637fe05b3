package org.mmada4j.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmada4j.tensor.ComputePool;

/** RandomClip writes a directory that ClipModel loads, with the config it was given. */
class RandomClipTest {
    @Test
    void writtenDirectoryLoadsAndEmbeds(@TempDir Path dir) throws IOException {
        ClipConfig small = new ClipConfig(
                new ClipConfig.Tower(32, 64, 2, 4, "gelu", 1e-6f, 50, 16, 48, 49, 0, 0, 0, 0),
                new ClipConfig.Tower(24, 48, 2, 2, "quick_gelu", 1e-5f, 0, 0, 0, 0, 0, 32, 16, 3), 8);
        RandomClip.writeDirectory(small, 7, dir);
        assertEquals(small, ClipConfig.load(dir));
        try (ComputePool pool = new ComputePool(1); ClipModel m = ClipModel.load(dir, pool)) {
            float[] img = m.imageEmbeddings(new float[2 * 3 * 32 * 32], 2);
            float[] txt = m.textEmbeddings(List.of(new int[] {48, 5, 6, 49}));
            for (float[] e : List.of(img, txt)) {
                double ss = 0;
                for (int i = 0; i < 8; i++) {
                    assertTrue(Float.isFinite(e[i]));
                    ss += e[i] * e[i];
                }
                assertEquals(1.0, ss, 1e-5, "unit norm");
            }
            assertEquals(Math.log(1 / 0.07), m.logitScale(), 1e-6);
        }
        assertEquals(RandomClip.specs(RandomClip.vitB32()).size(), 2 + 16 * 12 + 2 + 3 + 2 + 16 * 12 + 2 + 2 + 1);
    }
}
