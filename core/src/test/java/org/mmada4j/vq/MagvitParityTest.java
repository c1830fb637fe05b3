package org.mmada4j.vq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.mmada4j.testing.Assertions2.assertClose;
import static org.mmada4j.testing.Assertions2.assertEqualIds;

import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mmada4j.io.NpyArray;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.testing.GoldenSet;

/** MAGVIT-v2 against the reference PyTorch outputs of every golden set (magvit_* and t2i_image). */
@Tag("parity")
class MagvitParityTest {
    /** Encoder output (before LFQ): fp32 convolutions summed in another order than oneDNN's. */
    static final double LATENT_ATOL = 1e-4;
    /** Decoded pixels: observed spread between equally valid backends 7e-6 (golden README). */
    static final double PIXEL_ATOL = 5e-5;

    static Iterable<GoldenSet> sets() {
        return GoldenSet.all();
    }

    static Magvit load(GoldenSet g) throws IOException {
        return MagvitLoader.load(g.file("magvit_config.json"), g.file("magvit.safetensors"));
    }

    @ParameterizedTest
    @MethodSource("sets")
    void encoderOutputAndCodes(GoldenSet g) throws IOException {
        Magvit m = load(g);
        NpyArray input = g.npy("magvit_input.npy");
        NpyArray latent = g.npy("magvit_encoder_out.npy");
        long[] codes = g.npy("magvit_codes.npy").longs();
        int b = input.dim(0);
        int c = input.dim(1);
        int h = input.dim(2);
        int w = input.dim(3);
        int per = c * h * w;
        int latentPer = latent.size() / b;
        int codesPer = codes.length / b;
        for (int i = 0; i < b; i++) {
            float[] img = Arrays.copyOfRange(input.floats(), i * per, (i + 1) * per);
            FeatureMap z = m.encodeLatent(ComputePool.shared(), img, h, w);
            float[] planar = new float[z.data().length];
            z.toPlanar(planar, 0);
            assertArrayEquals(new int[] {latent.dim(1), latent.dim(2), latent.dim(3)}, new int[] {z.c(), z.h(), z.w()});
            assertClose("magvit_encoder_out[" + i + "]",
                    Arrays.copyOfRange(latent.floats(), i * latentPer, (i + 1) * latentPer), planar, LATENT_ATOL, 0);
            int[] got = m.quantizer().encode(z);
            assertEqualIds("magvit_codes[" + i + "]", Arrays.copyOfRange(codes, i * codesPer, (i + 1) * codesPer),
                    Arrays.stream(got).asLongStream().toArray());
        }
    }

    @ParameterizedTest
    @MethodSource("sets")
    void decodeRoundTrip(GoldenSet g) throws IOException {
        checkDecode(g, load(g), "magvit_codes.npy", "magvit_decoded.npy");
    }

    @ParameterizedTest
    @MethodSource("sets")
    void decodeFixedCodes(GoldenSet g) throws IOException {
        checkDecode(g, load(g), "magvit_fixed_codes.npy", "magvit_fixed_decoded.npy");
    }

    @ParameterizedTest
    @MethodSource("sets")
    void decodeT2iCodes(GoldenSet g) throws IOException {
        checkDecode(g, load(g), "t2i_gen_codes.npy", "t2i_image.npy");
    }

    private static void checkDecode(GoldenSet g, Magvit m, String codesFile, String pixelsFile) {
        NpyArray codes = g.npy(codesFile);
        NpyArray pixels = g.npy(pixelsFile);
        int b = codes.dim(0);
        int n = codes.dim(1);
        int side = Magvit.squareSide(n);
        int per = pixels.size() / b;
        for (int i = 0; i < b; i++) {
            int[] row = Arrays.stream(Arrays.copyOfRange(codes.longs(), i * n, (i + 1) * n)).mapToInt(Math::toIntExact)
                    .toArray();
            float[] got = m.decode(ComputePool.shared(), row, side, side);
            assertClose(pixelsFile + "[" + i + "]", Arrays.copyOfRange(pixels.floats(), i * per, (i + 1) * per), got,
                    PIXEL_ATOL, 0);
        }
    }
}
