package org.mmada4j.score;

import java.util.List;
import org.mmada4j.vq.RgbImage;

/**
 * Scores image–text pairs; higher means a better match (alignment) or a preferred image
 * (preference). Implementations must be safe to call from one thread at a time and may batch
 * internally; they never change their inputs.
 */
public interface ImageTextScorer {
    /**
     * One score per pair {@code (images[i], texts[i])}.
     *
     * @throws IllegalArgumentException when the lists differ in length
     */
    double[] score(List<RgbImage> images, List<String> texts);

    /** A short name for metrics and logs, e.g. {@code clip} or {@code pickscore}. */
    String name();
}
