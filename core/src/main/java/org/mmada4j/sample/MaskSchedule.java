package org.mmada4j.sample;

/**
 * Mask-ratio schedules of MaskGIT decoding ({@code models/sampling.py}): the fraction of image tokens
 * still masked after progress t ∈ (0, 1]. Evaluated in fp32 as the reference's float32 tensors.
 */
public interface MaskSchedule {
    float maskRatio(float t);

    /** {@code cos(π/2 · t)} (default). */
    MaskSchedule COSINE = t -> (float) Math.cos(t * (float) (Math.PI * 0.5));

    /** {@code clip(1 − t, 1e-6, 1)}. */
    MaskSchedule LINEAR = t -> clamp(1f - t, 1e-6f, 1f);

    /** Sigmoid schedule with start −3, end 3, τ 1, clip 1e-6. */
    MaskSchedule SIGMOID = t -> {
        float start = -3f;
        float end = 3f;
        float vStart = sigmoid(start);
        float vEnd = sigmoid(end);
        float out = sigmoid(t * (end - start) + start);
        return clamp((vEnd - out) / (vEnd - vStart), 1e-6f, 1f);
    };

    /** {@code powK}: {@code clip(1 − t^K, 1e-6, 1)}. */
    static MaskSchedule pow(float exponent) {
        if (!(exponent > 0) || Float.isInfinite(exponent)) {
            throw new IllegalArgumentException("pow schedule exponent must be positive and finite, got " + exponent);
        }
        return t -> clamp(1f - (float) Math.pow(t, exponent), 1e-6f, 1f);
    }

    /** {@code cosine}, {@code linear}, {@code sigmoid} or {@code powK} (e.g. {@code pow2}, {@code pow0.5}). */
    static MaskSchedule parse(String name) {
        return switch (name) {
            case "cosine" -> COSINE;
            case "linear" -> LINEAR;
            case "sigmoid" -> SIGMOID;
            default -> {
                if (name.startsWith("pow")) {
                    try {
                        yield pow(Float.parseFloat(name.substring(3)));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("unknown schedule '" + name + "' (powK needs a number K)");
                    }
                }
                throw new IllegalArgumentException("unknown schedule '" + name
                        + "' (expected cosine, linear, sigmoid or powK)");
            }
        };
    }

    private static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    private static float clamp(float v, float lo, float hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
