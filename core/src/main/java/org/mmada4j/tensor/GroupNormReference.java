package org.mmada4j.tensor;

/**
 * Scalar twin of {@link GroupNorm}: textbook two-pass group statistics in double, then
 * {@code (x − mean)·rstd·γ + β}, optionally swish. The test oracle; never used on hot paths.
 */
public final class GroupNormReference {
    private GroupNormReference() {
    }

    public static void forward(float[] x, int pixels, int channels, int groups, float eps,
                               float[] gamma, float[] beta, boolean swish, float[] out) {
        int cpg = channels / groups;
        for (int g = 0; g < groups; g++) {
            double sum = 0;
            for (int p = 0; p < pixels; p++) {
                for (int c = g * cpg; c < (g + 1) * cpg; c++) {
                    sum += x[p * channels + c];
                }
            }
            double n = (double) pixels * cpg;
            double mean = sum / n;
            double sq = 0;
            for (int p = 0; p < pixels; p++) {
                for (int c = g * cpg; c < (g + 1) * cpg; c++) {
                    double d = x[p * channels + c] - mean;
                    sq += d * d;
                }
            }
            double rstd = 1.0 / Math.sqrt(sq / n + eps);
            for (int p = 0; p < pixels; p++) {
                for (int c = g * cpg; c < (g + 1) * cpg; c++) {
                    double y = (x[p * channels + c] - mean) * rstd * gamma[c] + beta[c];
                    if (swish) {
                        y = y / (1 + Math.exp(-y));
                    }
                    out[p * channels + c] = (float) y;
                }
            }
        }
    }
}
