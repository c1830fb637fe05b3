package org.mmada4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mmada4j.testing.Assertions2.assertClose;

import java.lang.foreign.Arena;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RMSNorm, RoPE, SiLU·mul, softmax, add, gather, argmax and top-k against their scalar twins. */
class ElementwiseKernelsTest {
    // Lengths around the vector width (16 lanes at 512 bits) and odd tails.
    private static final int[] LENGTHS = {1, 3, 15, 16, 17, 31, 33, 64, 100, 768, 1001};

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "BF16", "F16"})
    void rmsNormMatchesReference(DType dtype) {
        Random rnd = new Random(10);
        try (Arena arena = Arena.ofShared()) {
            for (int dim : LENGTHS) {
                int rows = 3;
                float[] x = GemmTest.random(rnd, 2 + rows * dim);
                Tensor w = GemmTest.weight(arena, rnd, dtype, 1, dim).reshape(dim);
                float[] want = new float[1 + rows * dim];
                float[] got = new float[1 + rows * dim];
                float[] rw = new float[rows];
                float[] rg = new float[rows];
                NormsReference.rmsNorm(x, 2, w, 1e-5f, want, 1, rows, dim, rw);
                Norms.rmsNorm(x, 2, w, 1e-5f, got, 1, rows, dim, rg);
                assertClose("rmsNorm " + dtype + " dim " + dim, want, got, 1e-6, 2e-6);
                assertClose("rstd dim " + dim, rw, rg, 0, 2e-6);
            }
            // In place (out == x), heap F32 weight.
            float[] x = GemmTest.random(rnd, 2 * 100);
            float[] want = new float[200];
            Tensor w = Tensor.ofFloats(GemmTest.random(rnd, 100), 100);
            NormsReference.rmsNorm(x, 0, w, 1e-6f, want, 0, 2, 100, null);
            Norms.rmsNorm(x, 0, w, 1e-6f, x, 0, 2, 100, null);
            assertClose("rmsNorm in place", want, x, 1e-6, 2e-6);
        }
    }

    @Test
    void ropeIsBitIdenticalToReference() {
        Random rnd = new Random(11);
        for (int headDim : new int[] {2, 8, 30, 64, 96, 128}) {
            int heads = 3, tokens = 7, perSeq = 5, start = 4;
            Rope rope = new Rope(10000.0, headDim, 64);
            RopeReference ref = new RopeReference(10000.0, headDim, 64);
            float[] x = GemmTest.random(rnd, tokens * heads * headDim);
            float[] want = x.clone();
            ref.apply(want, tokens, perSeq, start, heads);
            rope.apply(x, tokens, perSeq, start, heads);
            assertArrayEquals(want, x, "rope headDim " + headDim);
        }
    }

    @Test
    void siluMulSoftmaxAndAddMatchReference() {
        Random rnd = new Random(12);
        for (int n : LENGTHS) {
            float[] g = scaled(GemmTest.random(rnd, n + 3), 8f);
            float[] u = GemmTest.random(rnd, n + 1);
            float[] want = new float[n + 2];
            float[] got = new float[n + 2];
            VectorOpsReference.siluMul(g, 3, u, 1, want, 2, n);
            VectorOps.siluMul(g, 3, u, 1, got, 2, n);
            assertClose("siluMul n " + n, want, got, 1e-6, 1e-6);

            float[] s = scaled(GemmTest.random(rnd, n + 2), 20f);
            float[] sw = s.clone();
            VectorOpsReference.softmax(sw, 1, n);
            VectorOps.softmax(s, 1, n);
            assertClose("softmax n " + n, sw, s, 1e-7, 1e-5);

            float[] y = GemmTest.random(rnd, n + 1);
            float[] x = GemmTest.random(rnd, n + 4);
            float[] yw = y.clone();
            VectorOpsReference.addInPlace(yw, 1, x, 4, n);
            VectorOps.addInPlace(y, 1, x, 4, n);
            assertArrayEquals(yw, y, "addInPlace n " + n);
        }
    }

    @Test
    void argmaxTakesTheFirstMaximum() {
        Random rnd = new Random(13);
        for (int n : LENGTHS) {
            for (int trial = 0; trial < 20; trial++) {
                float[] x = new float[n + 2];
                for (int i = 0; i < x.length; i++) {
                    x[i] = rnd.nextInt(7) - 3; // many ties
                }
                if (trial % 5 == 1 && n > 2) {
                    x[2 + rnd.nextInt(n - 1)] = Float.NaN;
                }
                assertEquals(VectorOpsReference.argmax(x, 1, n), VectorOps.argmax(x, 1, n), "argmax n " + n);
            }
        }
        float[] allNegInf = new float[40];
        java.util.Arrays.fill(allNegInf, Float.NEGATIVE_INFINITY);
        assertEquals(0, VectorOps.argmax(allNegInf, 0, 40));
    }

    @Test
    void topKIsStableOnTiesAndMatchesASortedReference() {
        Random rnd = new Random(14);
        for (int n : LENGTHS) {
            for (int k : new int[] {1, 2, 5, 16, 50, n}) {
                if (k > n) {
                    continue;
                }
                float[] x = new float[n + 1];
                for (int i = 0; i < x.length; i++) {
                    x[i] = rnd.nextBoolean() ? rnd.nextInt(5) : rnd.nextFloat();
                }
                if (n > 10) {
                    x[1 + rnd.nextInt(n)] = Float.NaN;
                    x[1 + rnd.nextInt(n)] = -0.0f;
                    x[1 + rnd.nextInt(n)] = Float.POSITIVE_INFINITY;
                }
                assertArrayEquals(VectorOpsReference.topK(x, 1, n, k), TopK.indices(x, 1, n, k), "top-" + k + " of " + n);
            }
        }
        float[] ties = {5, 1, 5, 5, 2, 5};
        assertArrayEquals(new int[] {0, 2, 3}, TopK.indices(ties, 0, 6, 3));
        // A big vocabulary row where the skip path does most of the work.
        float[] big = GemmTest.random(rnd, 134_656);
        assertArrayEquals(VectorOpsReference.topK(big, 0, big.length, 40), TopK.indices(big, 0, big.length, 40));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "BF16", "F16"})
    void gatherRowsWidensEveryDtype(DType dtype) {
        Random rnd = new Random(15);
        try (Arena arena = Arena.ofShared()) {
            for (int dim : new int[] {1, 17, 64, 100}) {
                Tensor table = GemmTest.weight(arena, rnd, dtype, 9, dim);
                int[] ids = {3, 0, 8, 3};
                float[] want = new float[1 + ids.length * dim];
                for (int t = 0; t < ids.length; t++) {
                    for (int i = 0; i < dim; i++) {
                        want[1 + t * dim + i] = table.getFloat((long) ids[t] * dim + i);
                    }
                }
                float[] got = new float[want.length];
                VectorOps.gatherRows(table, ids, got, 1);
                assertArrayEquals(want, got, "gather " + dtype + " dim " + dim);
            }
        }
    }

    @Test
    void vectorExpIsWithinTwoUlpOfMathExpAndMatchesItsScalarForm() {
        int lanes = VectorMath.F.length();
        float[] x = new float[lanes];
        float worst = 0;
        for (int i = 0; i < 200_000; i++) {
            float v = -87f + 175f * i / 200_000f;
            x[i % lanes] = v;
            if (i % lanes == lanes - 1) {
                float[] y = VectorMath.exp(jdk.incubator.vector.FloatVector.fromArray(VectorMath.F, x, 0)).toArray();
                float[] z = new float[lanes];
                VectorMath.expAffine(x, 0, z, 0, lanes, 1f, 0f);
                for (int t = 0; t < lanes; t++) {
                    assertEquals(Float.floatToRawIntBits(y[t]), Float.floatToRawIntBits(z[t]), "expAffine at " + x[t]);
                    double want = Math.exp(x[t]);
                    worst = (float) Math.max(worst, Math.abs(y[t] - want) / Math.ulp((float) want));
                    assertEquals(Float.floatToRawIntBits(VectorMath.exp(x[t])), Float.floatToRawIntBits(y[t]),
                            "scalar and vector exp differ at " + x[t]);
                }
            }
        }
        assertTrue(worst <= 2f, "exp error " + worst + " ulp");
        assertEquals(0f, VectorMath.exp(Float.NEGATIVE_INFINITY));
        assertEquals(0f, VectorMath.exp(-100f));
        assertEquals(Float.POSITIVE_INFINITY, VectorMath.exp(100f));
        assertTrue(Float.isNaN(VectorMath.exp(Float.NaN)));
        float[] special = new float[lanes];
        special[0] = Float.NEGATIVE_INFINITY;
        special[1] = Float.NaN;
        special[2 % lanes] = Float.POSITIVE_INFINITY;
        float[] e = VectorMath.exp(jdk.incubator.vector.FloatVector.fromArray(VectorMath.F, special, 0)).toArray();
        assertEquals(0f, e[0]);
        assertTrue(lanes < 3 || (Float.isNaN(e[1]) && e[2] == Float.POSITIVE_INFINITY));
    }

    private static float[] scaled(float[] x, float s) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= s;
        }
        return x;
    }
}
