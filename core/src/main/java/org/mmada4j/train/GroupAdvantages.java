package org.mmada4j.train;

/**
 * GRPO's group-normalised advantages (UniGRPO, MMaDA paper §3.3 / Eq. 15): the G responses of one
 * prompt share {@code Â_i = (r_i − mean) / (std + 1e-4)} (std over the group, population form as
 * dLLM-RL's {@code (r - mean) / (std + eps)}); a group whose rewards are all equal gets zeros.
 */
public final class GroupAdvantages {
    private GroupAdvantages() {
    }

    /** @param rewards [prompts·G], grouped contiguously */
    public static float[] of(float[] rewards, int groupSize) {
        if (groupSize < 1 || rewards.length % groupSize != 0) {
            throw new IllegalArgumentException(rewards.length + " rewards are not groups of " + groupSize);
        }
        float[] adv = new float[rewards.length];
        for (int g = 0; g < rewards.length; g += groupSize) {
            double mean = 0;
            for (int i = 0; i < groupSize; i++) {
                mean += rewards[g + i];
            }
            mean /= groupSize;
            double var = 0;
            for (int i = 0; i < groupSize; i++) {
                var += (rewards[g + i] - mean) * (rewards[g + i] - mean);
            }
            double std = Math.sqrt(var / groupSize);
            for (int i = 0; i < groupSize; i++) {
                adv[g + i] = std < 1e-12 ? 0f : (float) ((rewards[g + i] - mean) / (std + 1e-4));
            }
        }
        return adv;
    }
}
