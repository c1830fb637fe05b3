package org.mmada4j.tensor;

/**
 * Backward of {@link Norms#rmsNorm}: with {@code x̂ = x·r}, {@code r = 1/sqrt(mean(x²)+eps)} (kept by
 * the forward) and {@code y = x̂·w}:
 * <pre>
 *   dw  += Σ_rows dy ⊙ x̂
 *   dx̂  =  dy ⊙ w
 *   dx (+)= r · (dx̂ − x̂ · mean(dx̂ ⊙ x̂))
 * </pre>
 * Rows are split into fixed chunks (independent of the thread count); each chunk sums its own
 * weight gradient and the chunks are added in order, so results are deterministic.
 */
public final class NormsBackward {
    private static final int GRAIN = 32;

    private NormsBackward() {
    }

    /**
     * @param x          [rows, dim] forward input
     * @param rstd       [rows] from the forward
     * @param weight     [dim]
     * @param dy         [rows, dim] gradient of the output
     * @param dx         [rows, dim] gradient of the input: overwritten, or added to with {@code accumulate}
     * @param dWeight    [dim] weight gradient, added to
     */
    public static void rmsNorm(ComputePool pool, float[] x, float[] rstd, Tensor weight, float[] dy, float[] dx,
                               boolean accumulate, float[] dWeight, int rows, int dim) {
        float[] w = weight.toFloatArray();
        int chunks = (rows + GRAIN - 1) / GRAIN;
        double[][] partial = new double[chunks][];
        pool.parallelFor(chunks, c -> {
            double[] dw = new double[dim];
            int end = Math.min(rows, (c + 1) * GRAIN);
            for (int r = c * GRAIN; r < end; r++) {
                int o = r * dim;
                double rs = rstd[r];
                double dot = 0;
                for (int i = 0; i < dim; i++) {
                    double xh = x[o + i] * rs;
                    double g = dy[o + i];
                    dw[i] += g * xh;
                    dot += g * w[i] * xh;
                }
                double mean = dot / dim;
                for (int i = 0; i < dim; i++) {
                    double xh = x[o + i] * rs;
                    float v = (float) (rs * (dy[o + i] * w[i] - xh * mean));
                    dx[o + i] = accumulate ? dx[o + i] + v : v;
                }
            }
            partial[c] = dw;
        });
        for (double[] dw : partial) {
            for (int i = 0; i < dim; i++) {
                dWeight[i] += (float) dw[i];
            }
        }
    }
}
