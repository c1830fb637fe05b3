package org.mmada4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mmada4j.testing.Assertions2.assertClose;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Blocked {@link Attention} against {@link AttentionReference}: shapes, caches, every mask kind, threads. */
class AttentionTest {
    private static final double ATOL = 1e-5;
    private static final double RTOL = 1e-5;
    private static final ComputePool ONE = new ComputePool(1);
    private static final ComputePool TWO = new ComputePool(2);
    private static final ComputePool THREE = new ComputePool(3);

    @AfterAll
    static void close() {
        ONE.close();
        TWO.close();
        THREE.close();
    }

    // batch, lq, lk, queryStart, heads, headDim: tails of the 4-row and 48-key tiles, several key
    // blocks (TK_MAX = 480 keys), a cached prefix (lk > lq), a head of 512 channels (the VQ's).
    private static final int[][] SHAPES = {
            {1, 1, 1, 0, 1, 1}, {1, 5, 5, 0, 2, 8}, {2, 17, 17, 0, 3, 10}, {1, 70, 70, 0, 2, 64},
            {2, 33, 100, 60, 2, 16}, {1, 7, 1000, 993, 1, 32}, {1, 130, 1001, 0, 1, 24}, {1, 9, 50, 3, 1, 512},
            {1, 200, 200, 0, 1, 80},
    };

    @Test
    void noMaskMatchesReference() {
        Random rnd = new Random(20);
        for (int[] s : SHAPES) {
            compare("none", s, AttentionMask.none(), rnd);
        }
    }

    @Test
    void paddingMaskMatchesReferenceIncludingFullyPaddedQueryRows() {
        Random rnd = new Random(21);
        for (int[] s : SHAPES) {
            int batch = s[0], lk = s[2];
            int[] m = new int[batch * lk];
            for (int i = 0; i < m.length; i++) {
                m[i] = rnd.nextInt(4) == 0 ? 0 : 1;
            }
            m[0] = 0; // at least one padded query row (uniform over all keys)
            if (lk > 1) {
                m[lk - 1] = 1;
            }
            compare("padding", s, AttentionMask.padding(m, batch, lk), rnd);
        }
    }

    @Test
    void additiveBiasMatchesReference() {
        Random rnd = new Random(22);
        for (int[] s : SHAPES) {
            int batch = s[0], lk = s[2];
            float[] bias = new float[batch * lk * lk];
            for (int i = 0; i < bias.length; i++) {
                // Ones (as the training code passes), random values and a few -inf.
                int r = rnd.nextInt(10);
                bias[i] = r == 0 ? Float.NEGATIVE_INFINITY : r < 5 ? 1f : rnd.nextFloat() * 4 - 2;
            }
            // Keep one finite key per row so no row is all -inf (NaN in both).
            for (int b = 0; b < batch; b++) {
                for (int i = 0; i < lk; i++) {
                    bias[(b * lk + i) * lk + (i * 7) % lk] = 0.5f;
                }
            }
            compare("additive", s, AttentionMask.additive(bias, batch, lk), rnd);
        }
    }

    @Test
    void resultsAreBitIdenticalForOneTwoAndThreeThreads() {
        Random rnd = new Random(23);
        int batch = 1, l = 500, heads = 2, d = 64; // two key blocks
        float[] q = GemmTest.random(rnd, batch * l * heads * d);
        float[] k = GemmTest.random(rnd, batch * l * heads * d);
        float[] v = GemmTest.random(rnd, batch * l * heads * d);
        float[][] outs = new float[3][];
        ComputePool[] pools = {ONE, TWO, THREE};
        for (int t = 0; t < 3; t++) {
            outs[t] = new float[q.length];
            Attention.forward(pools[t], q, k, v, outs[t], batch, l, l, 0, heads, d, AttentionMask.none());
        }
        assertArrayEquals(outs[0], outs[1], "1 vs 2 threads");
        assertArrayEquals(outs[0], outs[2], "1 vs 3 threads");
    }

    @Test
    void maskNotCoveringTheKeysIsRejected() {
        float[] x = new float[2 * 4 * 8];
        AttentionMask m = AttentionMask.padding(new int[] {1, 1, 1}, 1, 3);
        assertThrows(IllegalArgumentException.class,
                () -> Attention.forward(ONE, x, x, x, new float[x.length], 1, 4, 4, 0, 2, 4, m));
    }

    private static void compare(String what, int[] s, AttentionMask mask, Random rnd) {
        int batch = s[0], lq = s[1], lk = s[2], start = s[3], heads = s[4], d = s[5];
        int width = heads * d;
        float[] q = scaled(GemmTest.random(rnd, batch * lq * width), 2f);
        float[] k = scaled(GemmTest.random(rnd, batch * lk * width), 2f);
        float[] v = GemmTest.random(rnd, batch * lk * width);
        float[] want = new float[batch * lq * width];
        AttentionReference.forward(q, k, v, want, batch, lq, lk, start, heads, d, mask);
        float[] got = new float[want.length];
        Attention.forward(TWO, q, k, v, got, batch, lq, lk, start, heads, d, mask);
        assertClose(what + " " + java.util.Arrays.toString(s), want, got, ATOL, RTOL);
    }

    private static float[] scaled(float[] x, float f) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= f;
        }
        return x;
    }
}
