package org.mmada4j.tensor;

/**
 * Backward of {@link Rope#apply}: the transpose of a rotation is the rotation by the opposite angle,
 * {@code dx1 = dy1·cos + dy2·sin}, {@code dx2 = dy2·cos − dy1·sin}. The cos/sin table is built with
 * exactly {@link Rope}'s fp32 formula (its table is private to the forward kernel).
 */
public final class RopeBackward {
    private final int headDim;
    private final int maxPositions;
    private final float[] cos; // [maxPositions, headDim/2]
    private final float[] sin;

    public RopeBackward(double theta, int headDim, int maxPositions) {
        this.headDim = headDim;
        this.maxPositions = maxPositions;
        int half = headDim / 2;
        cos = new float[maxPositions * half];
        sin = new float[maxPositions * half];
        for (int j = 0; j < half; j++) {
            float exponent = (float) (2 * j) / headDim;
            float invFreq = (float) (1.0 / Math.pow((float) theta, exponent));
            for (int p = 0; p < maxPositions; p++) {
                float angle = (float) p * invFreq;
                cos[p * half + j] = (float) Math.cos(angle);
                sin[p * half + j] = (float) Math.sin(angle);
            }
        }
    }

    public int maxPositions() {
        return maxPositions;
    }

    /** Turns dy into dx in place; layout and positions as {@link Rope#apply}. */
    public void apply(float[] d, int tokens, int tokensPerSequence, int positionStart, int heads) {
        int half = headDim / 2;
        int width = heads * headDim;
        for (int t = 0; t < tokens; t++) {
            int p = positionStart + t % tokensPerSequence;
            if (p >= maxPositions) {
                throw new IllegalArgumentException("position " + p + " beyond the RoPE table (" + maxPositions + ")");
            }
            for (int h = 0; h < heads; h++) {
                int base = t * width + h * headDim;
                for (int j = 0; j < half; j++) {
                    float c = cos[p * half + j];
                    float s = sin[p * half + j];
                    float g1 = d[base + j];
                    float g2 = d[base + half + j];
                    d[base + j] = g1 * c + g2 * s;
                    d[base + half + j] = g2 * c - g1 * s;
                }
            }
        }
    }
}
