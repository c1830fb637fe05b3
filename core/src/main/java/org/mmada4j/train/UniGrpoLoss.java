package org.mmada4j.train;

import org.mmada4j.tensor.ComputePool;

/**
 * UniGRPO's clipped policy-gradient objective on noised responses (MMaDA paper §3.3; per-token form of
 * dLLM-RL {@code rl_mmada.py}): for response i with advantage Â_i and the set M_i of its masked
 * answer positions, token log-probabilities {@code lp = log softmax(z)[target]} of the current policy,
 * {@code old} of the policy that sampled the rollouts and {@code ref} of the frozen reference policy:
 * <pre>
 *   ρ = exp(lp − old)
 *   J_i = mean_{k∈M_i} [ min(ρ·Â_i, clip(ρ, 1−ε, 1+ε)·Â_i) − β·(e^{ref−lp} − (ref−lp) − 1) ]
 *   L = −mean_i J_i
 * </pre>
 * (the KL term is the k3 estimator of KL(π_θ‖π_ref)). Returns L and dL/dlogits.
 */
public final class UniGrpoLoss {
    /** Loss and diagnostics: the mean KL and the fraction of clipped tokens. */
    public record Result(double loss, double meanKl, double clippedFraction, float[] dLogits) {
    }

    private final double clipEps;
    private final double klBeta;

    public UniGrpoLoss(double clipEps, double klBeta) {
        this.clipEps = clipEps;
        this.klBeta = klBeta;
    }

    /** Log-probabilities of the targets at the loss positions of logits [N·L, vocab] (0 elsewhere). */
    public static float[] tokenLogProbs(ComputePool pool, float[] logits, int vocab, int[] targets, boolean[] positions) {
        float[] lp = new float[targets.length];
        pool.parallelFor(targets.length, t -> {
            if (!positions[t]) {
                return;
            }
            lp[t] = (float) (logits[t * vocab + targets[t]] - logSumExp(logits, t * vocab, vocab));
        });
        return lp;
    }

    /**
     * @param logits     [N·L, vocab] of the current policy on the noised sequences
     * @param targets    [N·L] clean ids
     * @param positions  [N·L] masked answer positions (the loss positions)
     * @param oldLogp    [N·L] from {@link #tokenLogProbs} of the sampling policy on the same inputs
     * @param refLogp    [N·L] of the reference policy on the same inputs
     * @param advantages [N]
     */
    public Result compute(ComputePool pool, float[] logits, int vocab, int length, int[] targets, boolean[] positions,
                          float[] oldLogp, float[] refLogp, float[] advantages) {
        int n = advantages.length;
        int[] count = new int[n];
        for (int t = 0; t < n * length; t++) {
            if (positions[t]) {
                count[t / length]++;
            }
        }
        float[] d = new float[logits.length];
        double[] term = new double[n * length];
        double[] kl = new double[n * length];
        boolean[] clipped = new boolean[n * length];
        pool.parallelFor(n * length, t -> {
            int i = t / length;
            if (!positions[t] || count[i] == 0) {
                return;
            }
            int off = t * vocab;
            double logZ = logSumExp(logits, off, vocab);
            double lp = logits[off + targets[t]] - logZ;
            double a = advantages[i];
            double ratio = Math.exp(lp - oldLogp[t]);
            double clippedRatio = Math.max(1 - clipEps, Math.min(1 + clipEps, ratio));
            double unclippedObj = ratio * a;
            double clippedObj = clippedRatio * a;
            double obj = Math.min(unclippedObj, clippedObj);
            // d obj / d lp: the unclipped branch carries ρ·Â; a clipped, selected branch is constant in lp
            double dObj = unclippedObj <= clippedObj ? ratio * a : 0;
            clipped[t] = unclippedObj > clippedObj;
            double r = refLogp[t] - lp;
            double k3 = Math.exp(r) - r - 1;
            double dK3 = 1 - Math.exp(r);
            term[t] = obj - klBeta * k3;
            kl[t] = k3;
            double g = -(dObj - klBeta * dK3) / ((double) n * count[i]); // dL/dlp
            // dlp/dz = onehot(target) − softmax(z)
            for (int v = 0; v < vocab; v++) {
                d[off + v] = (float) (-g * Math.exp(logits[off + v] - logZ));
            }
            d[off + targets[t]] += (float) g;
        });
        double loss = 0;
        double klSum = 0;
        long tokens = 0;
        long clippedCount = 0;
        for (int t = 0; t < n * length; t++) {
            if (positions[t] && count[t / length] > 0) {
                loss -= term[t] / ((double) n * count[t / length]);
                klSum += kl[t];
                tokens++;
                clippedCount += clipped[t] ? 1 : 0;
            }
        }
        return new Result(loss, tokens == 0 ? 0 : klSum / tokens, tokens == 0 ? 0 : (double) clippedCount / tokens, d);
    }

    static double logSumExp(float[] z, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, z[off + i]);
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.exp(z[off + i] - max);
        }
        return max + Math.log(s);
    }
}
