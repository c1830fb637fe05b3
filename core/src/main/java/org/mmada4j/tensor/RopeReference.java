package org.mmada4j.tensor;

/**
 * Scalar twin of {@link Rope}, the test oracle. Rotary position embedding, rotate-half convention
 * (HF Llama / LLaDA), computed in fp32 as the reference with {@code rope_full_precision}: {@code inv_freq[j] = 1/theta^(2j/D)},
 * {@code x·cos + rotate_half(x)·sin}, {@code rotate_half([x1, x2]) = [-x2, x1]}.
 */
public final class RopeReference {
    private final int headDim;
    private final float[] cos; // [maxPositions, headDim/2]
    private final float[] sin; // [maxPositions, headDim/2]
    private final int maxPositions;

    public RopeReference(double theta, int headDim, int maxPositions) {
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("RoPE needs an even head dimension, got " + headDim);
        }
        this.headDim = headDim;
        this.maxPositions = maxPositions;
        int half = headDim / 2;
        cos = new float[maxPositions * half];
        sin = new float[maxPositions * half];
        for (int j = 0; j < half; j++) {
            // torch: 1.0 / (theta ** (arange(0, D, 2).float() / D)) — float32 throughout.
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

    /**
     * Rotates x in place: x is token-major {@code [tokens, heads·headDim]}, token t at position
     * {@code positionStart + (t % tokensPerSequence)}.
     */
    public void apply(float[] x, int tokens, int tokensPerSequence, int positionStart, int heads) {
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
                    float x1 = x[base + j];
                    float x2 = x[base + half + j];
                    x[base + j] = x1 * c - x2 * s;
                    x[base + half + j] = x2 * c + x1 * s;
                }
            }
        }
    }
}
