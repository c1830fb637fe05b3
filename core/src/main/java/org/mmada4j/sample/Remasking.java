package org.mmada4j.sample;

/** Which masked positions the text sampler commits each step ({@code remasking} of LLaDA's generate.py). */
public enum Remasking {
    /** The most confident predictions (float64 softmax probability of the chosen token). */
    LOW_CONFIDENCE,
    /** Uniformly random positions. */
    RANDOM;

    /** {@code low_confidence} or {@code random}. */
    public static Remasking parse(String name) {
        return switch (name) {
            case "low_confidence" -> LOW_CONFIDENCE;
            case "random" -> RANDOM;
            default -> throw new IllegalArgumentException("unknown remasking '" + name
                    + "' (expected low_confidence or random)");
        };
    }
}
