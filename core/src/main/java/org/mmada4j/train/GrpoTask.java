package org.mmada4j.train;

import java.util.Map;
import org.mmada4j.data.TrainingExample;
import org.mmada4j.sample.SamplingRandom;

/**
 * One kind of UniGRPO answer as the {@code grpo} stage drives it: a whole step (rollouts, rewards,
 * advantages, policy update) on the prompt of one dataset example. Kinds: text answers to chat or
 * image-understanding prompts ({@link TextAnswerTask}), images for text prompts ({@link ImageAnswerTask}).
 */
public interface GrpoTask {
    /**
     * @param gradNorm    pre-clip gradient norm of the step's last update
     * @param tokens      tokens the rollouts hold (rows × length), for throughput
     * @param termRewards mean of each reward component, by metric name (may be empty)
     */
    record Outcome(double meanReward, double loss, double meanKl, double clippedFraction, float gradNorm, long tokens,
                   Map<String, Double> termRewards) {
    }

    Outcome step(TrainingExample example, double lr, float maxGradNorm, RandomSource rng, SamplingRandom sampling);
}
