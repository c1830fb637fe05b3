package org.mmada4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every backward kernel against central finite differences of its forward, on tiny random shapes.
 * The scalar loss is {@code Σ r ⊙ forward(x)} for a fixed random r (so dy = r), summed in double.
 */
class BackwardKernelsTest {
    static final double H = 1e-2;
    static final ComputePool POOL = ComputePool.shared();

    static float[] randn(Random rnd, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rnd.nextGaussian() * scale);
        }
        return a;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** max |analytic − fd| / max(1, max|fd|) over every element of x. */
    static double check(float[] x, float[] analytic, Function<float[], Double> loss) {
        double worst = 0;
        double scale = 1;
        for (int i = 0; i < x.length; i++) {
            float keep = x[i];
            x[i] = (float) (keep + H);
            double up = loss.apply(x);
            x[i] = (float) (keep - H);
            double down = loss.apply(x);
            x[i] = keep;
            double fd = (up - down) / (2 * H);
            scale = Math.max(scale, Math.abs(fd));
            worst = Math.max(worst, Math.abs(fd - analytic[i]));
        }
        return worst / scale;
    }

    @Test
    void rmsNorm() {
        Random rnd = new Random(1);
        int rows = 5;
        int dim = 7;
        float[] x = randn(rnd, rows * dim, 1);
        float[] w = randn(rnd, dim, 1);
        float[] r = randn(rnd, rows * dim, 1);
        Tensor wt = Tensor.ofFloats(w, dim);
        float[] out = new float[rows * dim];
        float[] rstd = new float[rows];
        Norms.rmsNorm(x, 0, wt, 1e-5f, out, 0, rows, dim, rstd);
        float[] dx = new float[rows * dim];
        float[] dw = new float[dim];
        NormsBackward.rmsNorm(POOL, x, rstd, wt, r, dx, false, dw, rows, dim);
        Function<float[], Double> lossX = xx -> {
            float[] o = new float[rows * dim];
            Norms.rmsNorm(xx, 0, wt, 1e-5f, o, 0, rows, dim, null);
            return dot(o, r);
        };
        assertTrue(check(x, dx, lossX) < 2e-3, "dx");
        Function<float[], Double> lossW = ww -> {
            float[] o = new float[rows * dim];
            Norms.rmsNorm(x, 0, Tensor.ofFloats(ww, dim), 1e-5f, o, 0, rows, dim, null);
            return dot(o, r);
        };
        assertTrue(check(w, dw, lossW) < 2e-3, "dWeight");
    }

    @Test
    void siluMul() {
        Random rnd = new Random(2);
        int n = 20;
        float[] gate = randn(rnd, n, 2);
        float[] up = randn(rnd, n, 1);
        float[] r = randn(rnd, n, 1);
        float[] dGate = new float[n];
        float[] dUp = new float[n];
        ActivationBackward.siluMul(gate, up, r, dGate, dUp, 0, n);
        assertTrue(check(gate, dGate, g -> {
            float[] o = new float[n];
            VectorOps.siluMul(g, 0, up, 0, o, 0, n);
            return dot(o, r);
        }) < 2e-3, "dGate");
        assertTrue(check(up, dUp, u -> {
            float[] o = new float[n];
            VectorOps.siluMul(gate, 0, u, 0, o, 0, n);
            return dot(o, r);
        }) < 2e-3, "dUp");
    }

    @Test
    void rope() {
        // head sizes below, across and at multiples of the vector length (masked tails and full lanes)
        for (int headDim : new int[] {6, 40, 64}) {
            Random rnd = new Random(3 + headDim);
            int heads = 2;
            int len = 5;
            int tokens = 2 * len;
            float[] x = randn(rnd, tokens * heads * headDim, 1);
            float[] r = randn(rnd, x.length, 1);
            Rope rope = new Rope(10000.0, headDim, 16);
            float[] dx = r.clone();
            rope.applyInverse(dx, tokens, len, 0, heads);
            assertTrue(check(x, dx, xx -> {
                float[] y = xx.clone();
                rope.apply(y, tokens, len, 0, heads);
                return dot(y, r);
            }) < 2e-3, "RoPE backward, head dim " + headDim);
            float[] back = x.clone();
            rope.apply(back, tokens, len, 3, heads);
            rope.applyInverse(back, tokens, len, 3, heads);
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i], back[i], 1e-5f, "inverse(apply(x)) at " + i + ", head dim " + headDim);
            }
        }
    }

    @Test
    void attentionWithoutMaskWithPaddingAndWithAdditiveBias() {
        int batch = 2;
        int len = 5;
        int heads = 2;
        int headDim = 4;
        int[] pad = {0, 0, 1, 1, 1, 1, 1, 1, 1, 0};
        float[] bias = randn(new Random(9), batch * len * len, 1);
        for (AttentionMask mask : new AttentionMask[] {AttentionMask.none(), AttentionMask.padding(pad, batch, len),
                AttentionMask.additive(bias, batch, len)}) {
            Random rnd = new Random(4);
            int n = batch * len * heads * headDim;
            float[] q = randn(rnd, n, 1);
            float[] k = randn(rnd, n, 1);
            float[] v = randn(rnd, n, 1);
            float[] r = randn(rnd, n, 1);
            if (mask.kind() == AttentionMask.Kind.PADDING) {
                // A fully padded query row gets finfo.min on every score: in fp32 all its scores round to
                // the same value, so its output is flat in q and k, while autograd (torch's and ours)
                // differentiates the unrounded softmax. Such rows are left out (zero upstream gradient).
                for (int t = 0; t < batch * len; t++) {
                    if (pad[t] == 0) {
                        java.util.Arrays.fill(r, t * heads * headDim, (t + 1) * heads * headDim, 0f);
                    }
                }
            }
            float[] dq = new float[n];
            float[] dk = new float[n];
            float[] dv = new float[n];
            AttentionBackward.backward(POOL, q, k, v, r, dq, dk, dv, batch, len, heads, headDim, mask);
            Function<float[][], Double> loss = qkv -> {
                float[] o = new float[n];
                Attention.forward(POOL, qkv[0], qkv[1], qkv[2], o, batch, len, len, 0, heads, headDim, mask);
                return dot(o, r);
            };
            assertTrue(check(q, dq, qq -> loss.apply(new float[][] {qq, k, v})) < 2e-3, "dq " + mask.kind());
            assertTrue(check(k, dk, kk -> loss.apply(new float[][] {q, kk, v})) < 2e-3, "dk " + mask.kind());
            assertTrue(check(v, dv, vv -> loss.apply(new float[][] {q, k, vv})) < 2e-3, "dv " + mask.kind());
        }
    }
}
