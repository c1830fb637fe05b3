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
}
