package org.mmada4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mmada4j.testing.Assertions2.assertClose;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Conv2d} (im2col + GEMM, channels-last) against its scalar twin {@link Conv2dReference}. */
class Conv2dTest {
    // The GEMM accumulates in fp32 (the reference in double): partial sums of ~50 over 576-long
    // patches leave ~1e-4 absolute error on results that cancel to small values.
    static final double ATOL = 2e-4;
    static final double RTOL = 1e-5;

    static Stream<Arguments> geometries() {
        // h, w, cin, cout, kh, kw, stride, padTop, padLeft, padBottom, padRight
        return Stream.of(
                Arguments.of(7, 5, 3, 5, 3, 3, 1, 1, 1, 1, 1),     // odd sizes, conv_in-like
                Arguments.of(9, 11, 6, 4, 3, 3, 2, 0, 0, 1, 1),    // MAGVIT Downsample, odd input
                Arguments.of(8, 8, 5, 7, 3, 3, 2, 0, 0, 1, 1),     // MAGVIT Downsample, even input
                Arguments.of(6, 7, 9, 3, 1, 1, 1, 0, 0, 0, 0),     // pointwise (direct GEMM path)
                Arguments.of(5, 6, 4, 6, 1, 1, 2, 0, 0, 0, 0),     // 1x1 strided (im2col path)
                Arguments.of(10, 3, 2, 3, 5, 3, 3, 2, 1, 2, 0),    // rectangular kernel, asymmetric padding
                Arguments.of(4, 4, 17, 33, 3, 3, 1, 3, 3, 3, 3),   // padding wider than the kernel reach
                Arguments.of(1, 1, 3, 2, 3, 3, 1, 1, 1, 1, 1));    // a single pixel
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void matchesScalarTwin(int h, int w, int cin, int cout, int kh, int kw, int stride,
                           int pt, int pl, int pb, int pr) {
        ConvSpec s = new ConvSpec(cin, cout, kh, kw, stride, pt, pl, pb, pr);
        Random rnd = new Random(h * 31 + w * 7 + cin);
        float[] in = random(rnd, h * w * cin);
        float[] weight = random(rnd, cout * cin * kh * kw);
        float[] bias = random(rnd, cout);
        Tensor wt = Tensor.ofFloats(weight, cout, cin, kh, kw);
        int ho = s.outHeight(h);
        int wo = s.outWidth(w);
        float[] expected = new float[ho * wo * cout];
        Conv2dReference.forward(s, in, h, w, wt, bias, expected);
        float[] actual = new float[ho * wo * cout];
        float[] viaPanels = new float[ho * wo * cout];
        try (ComputePool pool = new ComputePool(3)) {
            Conv2d.forward(pool, s, in, h, w, Conv2d.packWeight(wt), bias, actual);
            Conv2d.forward(pool, s, in, h, w, PackedWeight.pack(pool, Conv2d.packWeight(wt)), bias, viaPanels);
        }
        assertClose("conv " + s, expected, actual, ATOL, RTOL);
        assertClose("conv with a pre-packed weight " + s, expected, viaPanels, ATOL, RTOL);
    }

    @Test
    void tilesLargerThanTheScratchMatchAndDoNotDependOnThreads() {
        // patch = 3·3·64 = 576 floats; 96×80 pixels × 576 > TILE_FLOATS, so several tiles run.
        ConvSpec s = ConvSpec.square(64, 8, 3, 1, 1);
        int h = 96;
        int w = 80;
        assertTrue((long) h * w * s.patch() > Conv2d.TILE_FLOATS);
        Random rnd = new Random(5);
        float[] in = random(rnd, h * w * 64);
        Tensor wt = Tensor.ofFloats(random(rnd, 8 * 64 * 9), 8, 64, 3, 3);
        float[] bias = random(rnd, 8);
        float[] expected = new float[h * w * 8];
        Conv2dReference.forward(s, in, h, w, wt, bias, expected);
        float[] one = new float[h * w * 8];
        float[] four = new float[h * w * 8];
        try (ComputePool p1 = new ComputePool(1); ComputePool p4 = new ComputePool(4)) {
            Conv2d.forward(p1, s, in, h, w, Conv2d.packWeight(wt), bias, one);
            Conv2d.forward(p4, s, in, h, w, Conv2d.packWeight(wt), bias, four);
        }
        assertClose("tiled conv", expected, one, ATOL, RTOL);
        assertArrayEquals(one, four, "result depends on the thread count");
    }

    @Test
    void packWeightReordersToKernelRowsThenChannels() {
        // weight[o, i, y, x] = 1000·o + 100·i + 10·y + x
        int cout = 2;
        int cin = 3;
        float[] w = new float[cout * cin * 2 * 2];
        for (int o = 0; o < cout; o++) {
            for (int i = 0; i < cin; i++) {
                for (int y = 0; y < 2; y++) {
                    for (int x = 0; x < 2; x++) {
                        w[((o * cin + i) * 2 + y) * 2 + x] = 1000 * o + 100 * i + 10 * y + x;
                    }
                }
            }
        }
        Tensor packed = Conv2d.packWeight(Tensor.ofFloats(w, cout, cin, 2, 2));
        assertArrayEquals(new long[] {2, 12}, packed.shape());
        // row 1, (y=1, x=0, i=2) at (1·2 + 0)·3 + 2 = 8
        assertEquals(1000 + 200 + 10, packed.getFloat(12 + 8));
    }

    @Test
    void rejectsMismatchedShapes() {
        ConvSpec s = ConvSpec.square(3, 4, 3, 1, 1);
        Tensor packed = Conv2d.packWeight(Tensor.ofFloats(new float[4 * 3 * 9], 4, 3, 3, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Conv2d.forward(ComputePool.shared(), s, new float[10], 4, 4, packed, new float[4], new float[64]));
        assertTrue(e.getMessage().contains("conv input"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConvSpec.square(3, 4, 5, 1, 0).outHeight(4));
    }

    static float[] random(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }
}
