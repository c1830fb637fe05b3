package org.mmada4j.tensor;

/** Scalar twin of {@link Attention}: materialises each score row, in double. Test oracle only. */
public final class AttentionReference {
    private AttentionReference() {
    }

    public static void forward(float[] q, float[] k, float[] v, float[] out,
                               int batch, int lq, int lk, int queryStart, int heads, int headDim, AttentionMask mask) {
        int width = heads * headDim;
        double scale = 1.0 / Math.sqrt(headDim);
        double[] scores = new double[lk];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < lq; i++) {
                    int qBase = (b * lq + i) * width + h * headDim;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < lk; j++) {
                        int kBase = (b * lk + j) * width + h * headDim;
                        double s = 0;
                        for (int d = 0; d < headDim; d++) {
                            s += (double) q[qBase + d] * k[kBase + d];
                        }
                        // The reference adds the bias in fp32 after scaling: finfo.min + s stays finite.
                        s = (float) ((float) (s * scale) + mask.biasAt(b, queryStart + i, j));
                        scores[j] = s;
                        max = Math.max(max, s);
                    }
                    double sum = 0;
                    for (int j = 0; j < lk; j++) {
                        scores[j] = Math.exp(scores[j] - max);
                        sum += scores[j];
                    }
                    for (int d = 0; d < headDim; d++) {
                        double acc = 0;
                        for (int j = 0; j < lk; j++) {
                            acc += scores[j] * v[(b * lk + j) * width + h * headDim + d];
                        }
                        out[(b * lq + i) * width + h * headDim + d] = (float) (acc / sum);
                    }
                }
            }
        }
    }
}
