package org.mmada4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mmada4j.testing.Assertions2;

/** {@link Gemm} against {@link GemmReference}: odd sizes, tails, strides, slices, every weight dtype, threads. */
class GemmTest {
    private static final ComputePool ONE = new ComputePool(1);
    private static final ComputePool TWO = new ComputePool(2);
    private static final ComputePool THREE = new ComputePool(3);

    // m, n, k: tails of every tile dimension (MR = 4, NR = 3 lanes, transpose blocks of 16), one and
    // two K blocks (KC_MAX 1024), and sizes big enough for several column blocks and row chunks.
    private static final int[][] SHAPES = {
            {1, 1, 1}, {3, 5, 7}, {1, 100, 70}, {4, 48, 16}, {5, 49, 17}, {7, 47, 33}, {17, 95, 64},
            {33, 130, 129}, {40, 150, 300}, {9, 20, 1030}, {130, 50, 40}, {100, 200, 96}, {2, 700, 40},
    };

    @AfterAll
    static void closePools() {
        ONE.close();
        TWO.close();
        THREE.close();
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "BF16", "F16"})
    void matmulNTMatchesReferenceForEveryWeightDtype(DType dtype) {
        Random rnd = new Random(1);
        try (Arena arena = Arena.ofShared()) {
            for (int[] s : SHAPES) {
                int m = s[0], n = s[1], k = s[2];
                int lda = k + 3, ldc = n + 2, aOff = 5, cOff = 7, row0 = 2;
                float[] a = random(rnd, aOff + m * lda);
                Tensor w = weight(arena, rnd, dtype, n + 3, k);
                for (boolean acc : new boolean[] {false, true}) {
                    float[] c0 = random(rnd, cOff + m * ldc);
                    float[] want = c0.clone();
                    GemmReference.matmulNT(a, aOff, lda, w, row0, want, cOff, ldc, m, n, k, acc);
                    float[] got = c0.clone();
                    Gemm.matmulNT(TWO, a, aOff, lda, w, row0, got, cOff, ldc, m, n, k, acc);
                    Assertions2.assertClose("NT " + dtype + " " + m + "x" + n + "x" + k + " acc=" + acc,
                            want, got, 2e-6 * k + 1e-6, 1e-5);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "BF16", "F16"})
    void matmulNNMatchesReference(DType dtype) {
        Random rnd = new Random(2);
        try (Arena arena = Arena.ofShared()) {
            for (int[] s : SHAPES) {
                int m = s[0], n = s[1], k = s[2];
                int lda = k + 1, ldc = n + 4, aOff = 3, cOff = 1, row0 = 3;
                float[] a = random(rnd, aOff + m * lda);
                Tensor w = weight(arena, rnd, dtype, k + 4, n + 5);
                for (boolean acc : new boolean[] {false, true}) {
                    float[] c0 = random(rnd, cOff + m * ldc);
                    float[] want = c0.clone();
                    GemmReference.matmulNN(a, aOff, lda, w, row0, want, cOff, ldc, m, n, k, acc);
                    float[] got = c0.clone();
                    Gemm.matmulNN(TWO, a, aOff, lda, w, row0, got, cOff, ldc, m, n, k, acc);
                    Assertions2.assertClose("NN " + dtype + " " + m + "x" + n + "x" + k + " acc=" + acc,
                            want, got, 2e-6 * k + 1e-6, 1e-5);
                }
            }
        }
    }

    @Test
    void matmulTNMatchesReference() {
        Random rnd = new Random(3);
        for (int[] s : SHAPES) {
            int m = s[0], n = s[1], k = s[2];
            int lda = m + 2, ldb = n + 3, ldc = n + 1, aOff = 4, bOff = 6, cOff = 2;
            float[] a = random(rnd, aOff + k * lda);
            float[] b = random(rnd, bOff + k * ldb);
            for (boolean acc : new boolean[] {false, true}) {
                float[] c0 = random(rnd, cOff + m * ldc);
                float[] want = c0.clone();
                GemmReference.matmulTN(a, aOff, lda, b, bOff, ldb, want, cOff, ldc, m, n, k, acc);
                float[] got = c0.clone();
                Gemm.matmulTN(TWO, a, aOff, lda, b, bOff, ldb, got, cOff, ldc, m, n, k, acc);
                Assertions2.assertClose("TN " + m + "x" + n + "x" + k + " acc=" + acc, want, got, 2e-6 * k + 1e-6, 1e-5);
            }
        }
    }

    @Test
    void resultsAreBitIdenticalForOneTwoAndThreeThreads() {
        Random rnd = new Random(4);
        try (Arena arena = Arena.ofShared()) {
            int m = 53, n = 400, k = 2100; // several column blocks, three K blocks, tails everywhere
            float[] a = random(rnd, m * k);
            Tensor w = weight(arena, rnd, DType.BF16, n, k);
            float[] c1 = new float[m * n];
            float[] c2 = new float[m * n];
            float[] c3 = new float[m * n];
            Gemm.matmulNT(ONE, a, 0, k, w, 0, c1, 0, n, m, n, k, false);
            Gemm.matmulNT(TWO, a, 0, k, w, 0, c2, 0, n, m, n, k, false);
            Gemm.matmulNT(THREE, a, 0, k, w, 0, c3, 0, n, m, n, k, false);
            assertArrayEquals(c1, c2, "NT 1 vs 2 threads");
            assertArrayEquals(c1, c3, "NT 1 vs 3 threads");

            float[] p1 = new float[m * n];
            Gemm.matmulNT(THREE, a, 0, k, PackedWeight.pack(TWO, w), p1, 0, n, m, false);
            assertArrayEquals(c1, p1, "pre-packed weight vs packing per call");

            // Many rows, few columns: the rows are cut into chunks too.
            int mm = 700, nn = 40, kk = 300;
            float[] x = random(rnd, mm * kk);
            float[] y = random(rnd, kk * nn);
            float[] t1 = new float[mm * nn];
            float[] t3 = new float[mm * nn];
            Gemm.matmulTN(ONE, x, 0, mm, y, 0, nn, t1, 0, nn, mm, nn, kk, false);
            Gemm.matmulTN(THREE, x, 0, mm, y, 0, nn, t3, 0, nn, mm, nn, kk, false);
            assertArrayEquals(t1, t3, "TN 1 vs 3 threads");
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "BF16", "F16"})
    void packedWeightSliceMatchesReference(DType dtype) {
        Random rnd = new Random(5);
        try (Arena arena = Arena.ofShared()) {
            int m = 37, n = 61, k = 1100, row0 = 9;
            float[] a = random(rnd, m * k);
            Tensor w = weight(arena, rnd, dtype, row0 + n + 2, k);
            PackedWeight pw = PackedWeight.pack(THREE, w, row0, n);
            float[] want = new float[m * n];
            GemmReference.matmulNT(a, 0, k, w, row0, want, 0, n, m, n, k, false);
            float[] got = new float[m * n];
            Gemm.matmulNT(TWO, a, 0, k, pw, got, 0, n, m, false);
            Assertions2.assertClose("packed " + dtype, want, got, 2e-6 * k, 1e-5);
        }
    }

    @Test
    void halfPrecisionWideningIsExactForEveryBitPattern() {
        // The vector f16 -> f32 conversion used while packing, against Float.float16ToFloat, all 2^16 inputs.
        try (Arena arena = Arena.ofShared()) {
            MemorySegment seg = arena.allocate(2L * 65536);
            for (int bits = 0; bits < 65536; bits++) {
                seg.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, bits, (short) bits);
            }
            int lanes = GemmKernel.L;
            for (int i = 0; i < 65536; i += lanes) {
                float[] f16 = GemmPacking.load(seg, DType.F16, i, lanes).toArray();
                float[] bf16 = GemmPacking.load(seg, DType.BF16, i, lanes).toArray();
                for (int t = 0; t < lanes; t++) {
                    short h = (short) (i + t);
                    int want = Float.floatToRawIntBits(Float.float16ToFloat(h));
                    if (want != Float.floatToRawIntBits(f16[t])) {
                        throw new AssertionError(String.format("f16 0x%04x: want 0x%08x got 0x%08x",
                                i + t, want, Float.floatToRawIntBits(f16[t])));
                    }
                    int wantBf = Float.floatToRawIntBits(Tensor.bf16ToFloat(h));
                    if (wantBf != Float.floatToRawIntBits(bf16[t])) {
                        throw new AssertionError(String.format("bf16 0x%04x: want 0x%08x got 0x%08x",
                                i + t, wantBf, Float.floatToRawIntBits(bf16[t])));
                    }
                }
            }
        }
    }

    @Test
    void badShapesAreRejectedWithTheOperandNamed() {
        float[] a = new float[10];
        float[] c = new float[10];
        Tensor w = Tensor.ofFloats(new float[12], 3, 4);
        var e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.matmulNT(ONE, a, 0, 4, w, 2, c, 0, 2, 2, 2, 4, false));
        assertTrue(e.getMessage().contains("weight"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.matmulNT(ONE, a, 0, 4, w, 0, c, 0, 2, 3, 2, 4, false));
        assertTrue(e.getMessage().contains("A of 10"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.matmulNN(ONE, a, 0, 3, w, 0, c, 0, 5, 2, 5, 3, false));
        assertTrue(e.getMessage().contains("C of 10") || e.getMessage().contains("weight"), e.getMessage());
    }

    // ---------------------------------------------------------------- helpers

    static float[] random(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextFloat() * 2f - 1f;
        }
        return x;
    }

    /** A [rows, cols] weight in native memory (as a mapped checkpoint) of the given dtype. */
    static Tensor weight(Arena arena, Random rnd, DType dtype, int rows, int cols) {
        long count = (long) rows * cols;
        MemorySegment seg = arena.allocate(count * dtype.bytes(), 64);
        for (long i = 0; i < count; i++) {
            float v = rnd.nextFloat() * 2f - 1f;
            switch (dtype) {
                case F32 -> seg.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i, v);
                case BF16 -> seg.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i,
                        Tensor.floatToBf16(v));
                case F16 -> seg.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i,
                        Float.floatToFloat16(v));
                default -> throw new IllegalArgumentException(dtype.name());
            }
        }
        return new Tensor(dtype, new long[] {rows, cols}, seg);
    }
}
