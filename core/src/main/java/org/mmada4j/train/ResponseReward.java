package org.mmada4j.train;

import java.util.List;
import java.util.Map;

/**
 * Rewards of the G decoded text responses to one prompt, scored together so that batched scorers
 * (an image–text model scoring captions against the prompt's image) see the whole group at once.
 */
@FunctionalInterface
public interface ResponseReward {
    double[] score(UniGrpo.Prompt prompt, List<String> responses);

    /** Totals and, for metrics, each component's scores by name (none for a single reward). */
    record Scored(double[] total, Map<String, double[]> terms) {
    }

    default Scored scoreTerms(UniGrpo.Prompt prompt, List<String> responses) {
        return new Scored(score(prompt, responses), Map.of());
    }

    /** A per-response text reward against the prompt's reference answer. */
    static ResponseReward each(Reward reward) {
        return (prompt, responses) -> {
            double[] out = new double[responses.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = reward.score(responses.get(i), prompt.referenceAnswer());
            }
            return out;
        };
    }
}
