package org.mmada4j.train;

/**
 * Mask ratios of UniGRPO's μ inner iterations (MMaDA paper §3.3, spec §6.4). Uniformly spaced: with
 * T_diff = 1000 diffusion steps draw r ~ U(0,1), t₁ = ⌊r·T_diff⌋, then
 * {@code t_n = ⌊(n−1)/(μ−1)·(T_diff − t₁) + t₁⌋} and ratio {@code t_n / T_diff} (linear map assumed; the
 * paper's printed example and formula disagree, spec §6.4 — this follows the formula). Random: an
 * independent U(0,1) ratio per iteration (the ablation of the paper's Figure 4). Ratios are kept in
 * [1/T_diff, 1] so every iteration masks something.
 */
public final class MaskRatioSchedule {
    public static final int DIFFUSION_STEPS = 1000;

    private MaskRatioSchedule() {
    }

    public static float[] uniformlySpaced(int iterations, RandomSource rng) {
        int t1 = (int) Math.floor(rng.nextFloat() * DIFFUSION_STEPS);
        float[] r = new float[iterations];
        for (int n = 1; n <= iterations; n++) {
            double frac = iterations == 1 ? 0 : (double) (n - 1) / (iterations - 1);
            int tn = (int) Math.floor(frac * (DIFFUSION_STEPS - t1) + t1);
            r[n - 1] = clamp(tn / (float) DIFFUSION_STEPS);
        }
        return r;
    }

    public static float[] random(int iterations, RandomSource rng) {
        float[] r = new float[iterations];
        for (int n = 0; n < iterations; n++) {
            r[n] = clamp(rng.nextFloat());
        }
        return r;
    }

    private static float clamp(float r) {
        return Math.max(1f / DIFFUSION_STEPS, Math.min(1f, r));
    }
}
