package org.mmada4j.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmada4j.io.Npy;
import org.mmada4j.io.NpyArray;
import org.mmada4j.testing.Assertions2;
import org.mmada4j.vq.ImageFiles;
import org.mmada4j.vq.RgbImage;

/** CLIPImageProcessor's steps against PIL + numpy (scripts/golden/clip/make_preprocess_golden.py). */
class ClipImageProcessorTest {
    @Test
    void pixelValuesMatchPilAndNumpy() throws IOException {
        Path dir = ClipParityTest.fixture("clip-preprocess");
        JsonNode meta = new ObjectMapper().readTree(dir.resolve("meta.json").toFile());
        int size = meta.get("size").asInt();
        ClipImageProcessor proc = ClipImageProcessor.openAi(size);
        for (int i = 0; i < meta.get("images").asInt(); i++) {
            RgbImage img = ImageFiles.read(dir.resolve("image" + i + ".png"));
            NpyArray want = Npy.read(dir.resolve("pixel_values" + i + ".npy"));
            assertArrayEquals(new long[] {3, size, size}, want.shape());
            // Same 8-bit resize as PIL, same fp32 arithmetic: equal to rounding noise of the division.
            Assertions2.assertClose("image " + i + " (" + img.width() + "x" + img.height() + ")", want.floats(),
                    proc.pixelValues(img), 1e-6, 0);
        }
    }

    @Test
    void readsPreprocessorConfigOrFallsBackToOpenAi(@TempDir Path dir) throws IOException {
        ClipImageProcessor dflt = ClipImageProcessor.load(dir, 224);
        assertEquals(224, dflt.shortestEdge());
        assertEquals(224, dflt.cropWidth());
        assertArrayEquals(ClipImageProcessor.OPENAI_MEAN, dflt.mean());
        Files.writeString(dir.resolve("preprocessor_config.json"), """
                {"crop_size": {"height": 336, "width": 336}, "do_center_crop": true, "do_normalize": true,
                 "do_resize": true, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5],
                 "resample": 3, "rescale_factor": 0.00392156862745098, "size": {"shortest_edge": 336}}""");
        ClipImageProcessor p = ClipImageProcessor.load(dir, 224);
        assertEquals(336, p.shortestEdge());
        assertEquals(336, p.cropHeight());
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, p.std());
        Files.writeString(dir.resolve("preprocessor_config.json"), """
                {"size": {"height": 20, "width": 30}, "do_center_crop": false}""");
        ClipImageProcessor exact = ClipImageProcessor.load(dir, 224);
        RgbImage out = exact.resizeAndCrop(new RgbImage(50, 10, new byte[50 * 10 * 3]));
        assertEquals(30, out.width());
        assertEquals(20, out.height());
        Files.writeString(dir.resolve("preprocessor_config.json"), "{\"resample\": 2}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipImageProcessor.load(dir, 224));
        assertTrue(e.getMessage().contains("resample 2"), e.getMessage());
    }
}
