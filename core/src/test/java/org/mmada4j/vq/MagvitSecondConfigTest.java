package org.mmada4j.vq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mmada4j.testing.Assertions2.assertClose;
import static org.mmada4j.testing.Assertions2.assertEqualIds;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mmada4j.io.Npy;
import org.mmada4j.io.NpyArray;
import org.mmada4j.tensor.ComputePool;

/**
 * What the golden sets do not reach ({@code resources/vq/second}, made by its {@code generate.py} with the
 * PyTorch restatement {@code bench/peer/magvit_torch.py}): attention blocks inside a level, a decoder
 * with fewer levels than the encoder (×4 down, ×2 up), 5 bits, a rectangular 32×48 batch of 2 and
 * rectangular code grids, loaded as a MAGVIT directory.
 */
@Tag("parity")
class MagvitSecondConfigTest {
    static final double LATENT_ATOL = 1e-4;
    static final double PIXEL_ATOL = 5e-5;

    @Test
    void encodeAndDecodeMatchThePyTorchRestatement() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/vq/second/config.json").toURI()).getParent();
        Magvit m = MagvitLoader.load(dir);
        NpyArray input = Npy.read(dir.resolve("input.npy"));
        NpyArray latent = Npy.read(dir.resolve("latent.npy"));
        NpyArray codes = Npy.read(dir.resolve("codes.npy"));
        NpyArray decoded = Npy.read(dir.resolve("decoded.npy"));
        int b = input.dim(0);
        int h = input.dim(2);
        int w = input.dim(3);
        int gh = codes.dim(1);
        int gw = codes.dim(2);
        assertEquals(h / m.downsampleFactor(), gh);
        assertEquals(w / m.downsampleFactor(), gw);
        int per = 3 * h * w;
        int zPer = latent.size() / b;
        int pxPer = decoded.size() / b;
        for (int i = 0; i < b; i++) {
            FeatureMap z = m.encodeLatent(ComputePool.shared(), Arrays.copyOfRange(input.floats(), i * per, (i + 1) * per), h, w);
            float[] planar = new float[z.data().length];
            z.toPlanar(planar, 0);
            assertClose("latent[" + i + "]", Arrays.copyOfRange(latent.floats(), i * zPer, (i + 1) * zPer), planar,
                    LATENT_ATOL, 0);
            int[] got = m.quantizer().encode(z);
            long[] expected = Arrays.copyOfRange(codes.longs(), i * gh * gw, (i + 1) * gh * gw);
            assertEqualIds("codes[" + i + "]", expected, Arrays.stream(got).asLongStream().toArray());
            float[] px = m.decode(ComputePool.shared(), got, gh, gw);
            assertArrayEquals(new int[] {3 * gh * m.upsampleFactor() * gw * m.upsampleFactor()}, new int[] {px.length});
            assertClose("decoded[" + i + "]", Arrays.copyOfRange(decoded.floats(), i * pxPer, (i + 1) * pxPer), px,
                    PIXEL_ATOL, 0);
        }
    }
}
