package org.mmada4j.tensor;

/**
 * Backward of {@link Attention#forward} for full passes (queries = keys, no cache). Per sequence b
 * and head h, with {@code S = Q·Kᵀ·scale + bias}, {@code P = softmax(S)} recomputed here (the forward
 * keeps no L×L matrix) and {@code O = P·V}:
 * <pre>
 *   dV = Pᵀ·dO      dP = dO·Vᵀ      dS = P ⊙ (dP − rowsum(P ⊙ dP))
 *   dQ = dS·K·scale                 dK = dSᵀ·Q·scale
 * </pre>
 * The bias enters only through P (it is a constant), so padding masks and additive biases are
 * handled by recomputing the scores exactly as the forward does. Each (b, h) pair is one task whose
 * products go through {@link Gemm} on contiguous per-head copies.
 */
public final class AttentionBackward {
    private AttentionBackward() {
    }

    /**
     * @param q,k,v [batch, len, heads·headDim] forward inputs (q and k after RoPE)
     * @param dOut  [batch, len, heads·headDim]
     * @param dq,dk,dv same layout, overwritten
     */
    public static void backward(ComputePool pool, float[] q, float[] k, float[] v, float[] dOut,
                                float[] dq, float[] dk, float[] dv, int batch, int len, int heads, int headDim,
                                AttentionMask mask) {
        AttentionMask m = mask == null ? AttentionMask.none() : mask;
        int width = heads * headDim;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        pool.parallelFor(batch * heads, task -> {
            int b = task / heads;
            int h = task % heads;
            int n = len;
            int dd = headDim;
            float[] qh = gather(q, b, h, n, width, dd);
            float[] kh = gather(k, b, h, n, width, dd);
            float[] vh = gather(v, b, h, n, width, dd);
            float[] doh = gather(dOut, b, h, n, width, dd);
            float[] p = new float[n * n];
            // S = Q·Kᵀ, then scale and bias in fp32 as the forward, then a row softmax (VectorOps.softmax:
            // its exp gives the same bits however compiled, so gradients do not depend on JIT warm-up)
            Gemm.matmulNT(pool, qh, 0, dd, Tensor.ofFloats(kh, n, dd), 0, p, 0, n, n, n, dd, false);
            boolean noBias = m.kind() == AttentionMask.Kind.NONE;
            for (int i = 0; i < n; i++) {
                int o = i * n;
                for (int j = 0; j < n; j++) {
                    p[o + j] = noBias ? p[o + j] * scale : p[o + j] * scale + m.biasAt(b, i, j);
                }
                VectorOps.softmax(p, o, n);
            }
            // dV = Pᵀ·dO
            float[] dvh = new float[n * dd];
            Gemm.matmulTN(pool, p, 0, n, doh, 0, dd, dvh, 0, dd, n, dd, n, false);
            // dP = dO·Vᵀ, then dS = P ⊙ (dP − rowsum(P ⊙ dP)) · scale
            float[] ds = new float[n * n];
            Gemm.matmulNT(pool, doh, 0, dd, Tensor.ofFloats(vh, n, dd), 0, ds, 0, n, n, n, dd, false);
            for (int i = 0; i < n; i++) {
                int o = i * n;
                double dot = 0;
                for (int j = 0; j < n; j++) {
                    dot += (double) p[o + j] * ds[o + j];
                }
                float fdot = (float) dot;
                for (int j = 0; j < n; j++) {
                    ds[o + j] = p[o + j] * (ds[o + j] - fdot) * scale;
                }
            }
            // dQ = dS·K, dK = dSᵀ·Q
            float[] dqh = new float[n * dd];
            Gemm.matmulNN(pool, ds, 0, n, Tensor.ofFloats(kh, n, dd), 0, dqh, 0, dd, n, dd, n, false);
            float[] dkh = new float[n * dd];
            Gemm.matmulTN(pool, ds, 0, n, qh, 0, dd, dkh, 0, dd, n, dd, n, false);
            scatter(dqh, dq, b, h, n, width, dd);
            scatter(dkh, dk, b, h, n, width, dd);
            scatter(dvh, dv, b, h, n, width, dd);
        });
    }

    private static float[] gather(float[] x, int b, int h, int n, int width, int dd) {
        float[] out = new float[n * dd];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, (b * n + i) * width + h * dd, out, i * dd, dd);
        }
        return out;
    }

    private static void scatter(float[] src, float[] x, int b, int h, int n, int width, int dd) {
        for (int i = 0; i < n; i++) {
            System.arraycopy(src, i * dd, x, (b * n + i) * width + h * dd, dd);
        }
    }
}
