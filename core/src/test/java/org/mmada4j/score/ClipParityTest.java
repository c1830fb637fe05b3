package org.mmada4j.score;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mmada4j.io.Npy;
import org.mmada4j.io.NpyArray;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.testing.Assertions2;

/**
 * ClipModel against the clean-room PyTorch restatement of HF's CLIPModel
 * (scripts/golden/clip/make_clip_golden.py): clip-tiny (quick_gelu, legacy argmax pooling) and
 * clip-gelu (exact gelu, first-EOS pooling, eps 1e-6, other sizes). Sizes come from each fixture.
 */
@Tag("parity")
class ClipParityTest {
    static final double ATOL = 1e-4;

    static Path fixture(String name) {
        try {
            return Path.of(ClipParityTest.class.getResource("/golden/" + name + "/meta.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The unpadded id lists of input_ids.npy, cut by attention_mask.npy. */
    static List<int[]> texts(Path dir) throws IOException {
        NpyArray ids = Npy.read(dir.resolve("input_ids.npy"));
        NpyArray mask = Npy.read(dir.resolve("attention_mask.npy"));
        int batch = ids.dim(0);
        int length = ids.dim(1);
        int[] all = ids.toInts();
        int[] m = mask.toInts();
        List<int[]> out = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            int n = 0;
            while (n < length && m[b * length + n] == 1) {
                n++;
            }
            out.add(Arrays.copyOfRange(all, b * length, b * length + n));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"clip-tiny", "clip-gelu"})
    void embeddingsAndLogitsMatchTheReference(String name) throws IOException {
        Path dir = fixture(name);
        try (ComputePool pool = new ComputePool(2); ClipModel model = ClipModel.load(dir, pool)) {
            NpyArray pixels = Npy.read(dir.resolve("pixel_values.npy"));
            int batch = pixels.dim(0);
            assertEquals(model.config().vision().imageSize(), pixels.dim(2));
            float[] img = model.imageEmbeddings(pixels.floats(), batch);
            Assertions2.assertClose(name + " image_embeds", Npy.read(dir.resolve("image_embeds.npy")).floats(), img, ATOL, 0);

            List<int[]> ids = texts(dir);
            float[] txt = model.textEmbeddings(ids);
            Assertions2.assertClose(name + " text_embeds", Npy.read(dir.resolve("text_embeds.npy")).floats(), txt, ATOL, 0);

            float[][] logits = model.logits(img, batch, txt, ids.size());
            float[] flat = new float[batch * ids.size()];
            for (int i = 0; i < batch; i++) {
                System.arraycopy(logits[i], 0, flat, i * ids.size(), ids.size());
            }
            Assertions2.assertClose(name + " logits_per_image", Npy.read(dir.resolve("logits_per_image.npy")).floats(),
                    flat, ATOL, 1e-5);

            // One text at a time gives the same embeddings as the padded batch (padding is invisible).
            for (int b = 0; b < ids.size(); b++) {
                float[] one = model.textEmbeddings(List.of(ids.get(b)));
                int p = model.config().projectionDim();
                Assertions2.assertClose(name + " text " + b + " alone", Arrays.copyOfRange(txt, b * p, (b + 1) * p), one, 1e-5, 0);
            }
            // Weights packed once at load: the same numbers up to rounding (at these tiny shapes the unpacked GEMM
            // takes its plain-loop path, the packed one the micro-kernel: different summation order).
            try (ClipModel packed = ClipModel.load(dir, pool, true)) {
                Assertions2.assertClose(name + " packed image_embeds", img, packed.imageEmbeddings(pixels.floats(), batch), 1e-6, 0);
                Assertions2.assertClose(name + " packed text_embeds", txt, packed.textEmbeddings(ids), 1e-6, 0);
            }
        }
    }
}
