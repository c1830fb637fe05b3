package org.mmada4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Rotary position embedding, rotate-half convention (HF Llama / LLaDA), computed in fp32 as the
 * reference with {@code rope_full_precision}: {@code inv_freq[j] = 1/theta^(2j/D)},
 * {@code x·cos + rotate_half(x)·sin}, {@code rotate_half([x1, x2]) = [-x2, x1]}.
 */
public final class Rope {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    private final int headDim;
    private final float[] cos; // [maxPositions, headDim/2]
    private final float[] sin; // [maxPositions, headDim/2]
    private final int maxPositions;

    public Rope(double theta, int headDim, int maxPositions) {
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

    private void rotate(float[] x, int i1, int i2, int ti, VectorMask<Float> m, boolean inverse) {
        FloatVector c = m == null ? FloatVector.fromArray(F, cos, ti) : FloatVector.fromArray(F, cos, ti, m);
        FloatVector s = m == null ? FloatVector.fromArray(F, sin, ti) : FloatVector.fromArray(F, sin, ti, m);
        FloatVector x1 = m == null ? FloatVector.fromArray(F, x, i1) : FloatVector.fromArray(F, x, i1, m);
        FloatVector x2 = m == null ? FloatVector.fromArray(F, x, i2) : FloatVector.fromArray(F, x, i2, m);
        FloatVector y1 = inverse ? x1.mul(c).add(x2.mul(s)) : x1.mul(c).sub(x2.mul(s));
        FloatVector y2 = inverse ? x2.mul(c).sub(x1.mul(s)) : x2.mul(c).add(x1.mul(s));
        if (m == null) {
            y1.intoArray(x, i1);
            y2.intoArray(x, i2);
        } else {
            y1.intoArray(x, i1, m);
            y2.intoArray(x, i2, m);
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
        rotateAll(x, tokens, tokensPerSequence, positionStart, heads, false);
    }

    /**
     * The backward of {@link #apply}: a rotation's transpose is the rotation by the opposite angle,
     * {@code dx1 = dy1·cos + dy2·sin}, {@code dx2 = dy2·cos − dy1·sin}; turns dy into dx in place.
     */
    public void applyInverse(float[] d, int tokens, int tokensPerSequence, int positionStart, int heads) {
        rotateAll(d, tokens, tokensPerSequence, positionStart, heads, true);
    }

    private void rotateAll(float[] x, int tokens, int tokensPerSequence, int positionStart, int heads, boolean inverse) {
        int half = headDim / 2;
        int width = heads * headDim;
        for (int t = 0; t < tokens; t++) {
            int p = positionStart + t % tokensPerSequence;
            if (p >= maxPositions) {
                throw new IllegalArgumentException("position " + p + " beyond the RoPE table (" + maxPositions + ")");
            }
            int tab = p * half;
            for (int h = 0; h < heads; h++) {
                int base = t * width + h * headDim;
                int j = 0;
                // Same fp32 products and sums as the scalar twin (no FMA): results are bit-identical.
                for (; j + L <= half; j += L) {
                    rotate(x, base + j, base + half + j, tab + j, null, inverse);
                }
                if (j < half) {
                    rotate(x, base + j, base + half + j, tab + j, F.indexInRange(j, half), inverse);
                }
            }
        }
    }
}
