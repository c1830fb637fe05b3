package org.mmada4j.train;

import org.mmada4j.tensor.AttentionMask;
import org.mmada4j.tensor.ComputePool;

/**
 * The policy-update half of a UniGRPO step, shared by every answer kind (text, image understanding,
 * text-to-image): given rollouts, each row's answer span and the group-normalised advantages,
 * <ol>
 *   <li>μ mask ratios (uniformly spaced from a random start, or i.i.d. random), one structured noising
 *       per ratio (outside the span never masked; span tokens masked with that ratio; or the d1 variant);
 *       old-policy and reference log-probabilities of every noised batch, computed before any update;</li>
 *   <li>μ updates of the clipped objective with the KL penalty against the frozen reference
 *       ({@link UniGrpoLoss}), each followed by clipping and one AdamW step.</li>
 * </ol>
 * Log-probabilities are taken over the model's whole output head (all {@code embedding_size} columns),
 * as the masked-diffusion training losses do (spec §6.1, also for image tokens), so RL and pre-training
 * optimise one likelihood; the t2i sampler's image-slice softmax differs from it only by the mass the
 * head puts on non-image ids at image slots, and the ratio ρ compares like with like.
 */
public final class GrpoUpdate {
    /** d1's prompt masking probability (Zhao et al., 2025), for the d1-style comparison variant. */
    public static final float D1_PROMPT_RATIO = 0.15f;

    /**
     * @param innerIterations μ gradient steps per rollout batch
     * @param uniformlySpaced mask ratios uniformly spaced (UniGRPO) or i.i.d. random (ablation)
     * @param d1Variant       answer fully masked, prompt masked with {@code d1PromptRatio} (comparison)
     */
    public record Config(int innerIterations, double clipEps, double klBeta, boolean uniformlySpaced, boolean d1Variant,
                         float d1PromptRatio) {
    }

    /** What the μ updates did (averages over the inner iterations; gradNorm: pre-clip norm of the last). */
    public record Result(double loss, double meanKl, double clippedFraction, float gradNorm) {
    }

    private final ModelTrainer policy;
    private final ModelTrainer reference;
    private final AdamW optimizer;
    private final int maskId;
    private final Config cfg;
    private final UniGrpoLoss loss;
    private final ComputePool pool;

    public GrpoUpdate(ModelTrainer policy, ModelTrainer reference, AdamW optimizer, int maskId, Config cfg, ComputePool pool) {
        this.policy = policy;
        this.reference = reference;
        this.optimizer = optimizer;
        this.maskId = maskId;
        this.cfg = cfg;
        this.loss = new UniGrpoLoss(cfg.clipEps(), cfg.klBeta());
        this.pool = pool;
    }

    public ModelTrainer policy() {
        return policy;
    }

    /**
     * @param seqs  [N][L] rollouts (prompt and answer, clean)
     * @param spans [N] each row's answer span
     * @param mask  the attention mask the rollouts were sampled with (t2i's padding), or none
     * @param adv   [N] advantages
     */
    public Result apply(int[][] seqs, StructuredNoising.Span[] spans, AttentionMask mask, float[] adv, double lr,
                        float maxGradNorm, RandomSource rng) {
        int n = seqs.length;
        int len = seqs[0].length;
        if (adv.length != n) {
            throw new IllegalArgumentException(adv.length + " advantages for " + n + " rollouts");
        }
        int mu = cfg.innerIterations();
        float[] ratios = cfg.uniformlySpaced() ? MaskRatioSchedule.uniformlySpaced(mu, rng) : MaskRatioSchedule.random(mu, rng);
        int[] targets = new int[n * len];
        for (int i = 0; i < n; i++) {
            System.arraycopy(seqs[i], 0, targets, i * len, len);
        }
        int vocab = policy.model().config().embeddingSize();
        StructuredNoising.Noised[] noised = new StructuredNoising.Noised[mu];
        float[][] old = new float[mu][];
        float[][] ref = new float[mu][];
        for (int it = 0; it < mu; it++) {
            noised[it] = cfg.d1Variant()
                    ? StructuredNoising.d1(seqs, spans, cfg.d1PromptRatio(), maskId, rng)
                    : StructuredNoising.uniGrpo(seqs, spans, ratios[it], maskId, rng);
            old[it] = UniGrpoLoss.tokenLogProbs(pool, policy.logits(noised[it].ids(), n, len, mask), vocab, targets,
                    noised[it].lossPositions());
            ref[it] = UniGrpoLoss.tokenLogProbs(pool, reference.logits(noised[it].ids(), n, len, mask), vocab, targets,
                    noised[it].lossPositions());
        }
        double lossSum = 0;
        double klSum = 0;
        double clipSum = 0;
        float norm = Float.NaN;
        for (int it = 0; it < mu; it++) {
            StructuredNoising.Noised x = noised[it];
            float[] o = old[it];
            float[] r = ref[it];
            UniGrpoLoss.Result[] res = new UniGrpoLoss.Result[1];
            policy.accumulate(x.ids(), n, len, mask, z -> {
                res[0] = loss.compute(pool, z, vocab, len, targets, x.lossPositions(), o, r, adv);
                return res[0].dLogits();
            });
            norm = policy.optimizerStep(optimizer, lr, maxGradNorm);
            lossSum += res[0].loss();
            klSum += res[0].meanKl();
            clipSum += res[0].clippedFraction();
        }
        return new Result(lossSum / mu, klSum / mu, clipSum / mu, norm);
    }
}
