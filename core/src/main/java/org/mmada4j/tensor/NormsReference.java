package org.mmada4j.tensor;

/** Scalar twin of {@link Norms}: the test oracle. */
public final class NormsReference {
    private NormsReference() {
    }

    /**
     * RMSNorm over rows of width {@code dim}: {@code out = x / sqrt(mean(x²) + eps) · weight}, as
     * LLaDA's RMSLayerNorm (no bias, no 1+weight). Writes {@code 1/sqrt(mean(x²)+eps)} per row into
     * {@code rstd} when it is non-null (for the backward pass).
     */
    public static void rmsNorm(float[] x, int xOff, Tensor weight, float eps, float[] out, int outOff,
                               int rows, int dim, float[] rstd) {
        for (int r = 0; r < rows; r++) {
            int xb = xOff + r * dim;
            float ss = 0f;
            for (int i = 0; i < dim; i++) {
                ss += x[xb + i] * x[xb + i];
            }
            float inv = (float) (1.0 / Math.sqrt(ss / dim + eps));
            if (rstd != null) {
                rstd[r] = inv;
            }
            int ob = outOff + r * dim;
            for (int i = 0; i < dim; i++) {
                out[ob + i] = (x[xb + i] * inv) * weight.getFloat(i);
            }
        }
    }

    /** LayerNorm with weight and bias, two-pass in double (the oracle of {@link LayerNorm}). */
    public static void layerNorm(float[] x, int xOff, float[] gamma, float[] beta, float eps, float[] out, int outOff,
                                 int rows, int dim) {
        for (int r = 0; r < rows; r++) {
            int xb = xOff + r * dim;
            double mean = 0;
            for (int i = 0; i < dim; i++) {
                mean += x[xb + i];
            }
            mean /= dim;
            double var = 0;
            for (int i = 0; i < dim; i++) {
                double d = x[xb + i] - mean;
                var += d * d;
            }
            double rstd = 1.0 / Math.sqrt(var / dim + eps);
            for (int i = 0; i < dim; i++) {
                out[outOff + r * dim + i] = (float) ((x[xb + i] - mean) * rstd * gamma[i] + beta[i]);
            }
        }
    }
}
