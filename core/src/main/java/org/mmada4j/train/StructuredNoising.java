package org.mmada4j.train;

/**
 * UniGRPO's structured noising of rollouts (MMaDA paper §3.3): the prompt is never masked; the answer
 * tokens of response i are masked independently with probability {@code ratio} (at least one is
 * masked, so every response contributes). The d1-style variant (to compare against) masks the
 * whole answer and the prompt tokens with probability {@code promptRatio} instead.
 */
public final class StructuredNoising {
    private StructuredNoising() {
    }

    /** Noised rows and the loss positions (masked answer tokens). */
    public record Noised(int[] ids, boolean[] lossPositions) {
    }

    /**
     * @param sequences [N][L] prompt + response
     * @param promptLength answer positions are [promptLength, L)
     */
    public static Noised uniGrpo(int[][] sequences, int promptLength, float ratio, int maskId, RandomSource rng) {
        int n = sequences.length;
        int len = sequences[0].length;
        int[] ids = new int[n * len];
        boolean[] pos = new boolean[n * len];
        for (int i = 0; i < n; i++) {
            System.arraycopy(sequences[i], 0, ids, i * len, len);
            int masked = 0;
            for (int j = promptLength; j < len; j++) {
                if (rng.nextFloat() < ratio) {
                    ids[i * len + j] = maskId;
                    pos[i * len + j] = true;
                    masked++;
                }
            }
            if (masked == 0 && len > promptLength) {
                int j = promptLength + (int) Math.min(len - promptLength - 1, Math.floor(rng.nextFloat() * (len - promptLength)));
                ids[i * len + j] = maskId;
                pos[i * len + j] = true;
            }
        }
        return new Noised(ids, pos);
    }

    /** d1 (Zhao et al. 2025): answer fully masked, prompt tokens masked with {@code promptRatio}. */
    public static Noised d1(int[][] sequences, int promptLength, float promptRatio, int maskId, RandomSource rng) {
        int n = sequences.length;
        int len = sequences[0].length;
        int[] ids = new int[n * len];
        boolean[] pos = new boolean[n * len];
        for (int i = 0; i < n; i++) {
            System.arraycopy(sequences[i], 0, ids, i * len, len);
            for (int j = 0; j < promptLength; j++) {
                if (rng.nextFloat() < promptRatio) {
                    ids[i * len + j] = maskId;
                }
            }
            for (int j = promptLength; j < len; j++) {
                ids[i * len + j] = maskId;
                pos[i * len + j] = true;
            }
        }
        return new Noised(ids, pos);
    }
}
