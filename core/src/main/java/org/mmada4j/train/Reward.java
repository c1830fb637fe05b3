package org.mmada4j.train;

/**
 * A UniGRPO reward of one generated response. Text rewards see the decoded response and the
 * prompt's reference answer; image–text alignment (CLIP-like) and preference (ImageReward-like)
 * scorers implement the same interface over decoded images and captions.
 */
@FunctionalInterface
public interface Reward {
    double score(String response, String referenceAnswer);
}
