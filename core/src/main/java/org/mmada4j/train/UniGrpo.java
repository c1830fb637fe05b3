package org.mmada4j.train;

import java.util.Arrays;
import java.util.List;
import org.mmada4j.model.MmadaModel;
import org.mmada4j.sample.ModelPredictor;
import org.mmada4j.sample.SamplingRandom;
import org.mmada4j.sample.TextSampler;
import org.mmada4j.sample.TextSamplingParams;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.text.TextTokenizer;

/**
 * UniGRPO (MMaDA paper §3.3, Algorithm 1; spec §6.4) for text answers. One {@link #step}:
 * <ol>
 *   <li>G rollouts per prompt with the semi-autoregressive sampler (batched, the current policy);</li>
 *   <li>rewards of the decoded responses, group-normalised advantages;</li>
 *   <li>μ mask ratios (uniformly spaced from a random start, or i.i.d. random), one structured noising
 *       per ratio (prompt never masked; answer tokens masked with that ratio; or the d1 variant);
 *       old-policy and reference log-probabilities of every noised batch, computed before any update;</li>
 *   <li>μ updates of the clipped objective with the KL penalty against the frozen reference
 *       ({@link UniGrpoLoss}), each followed by clipping and one AdamW step.</li>
 * </ol>
 * Prompts of one step must have the same length (left-pad them otherwise).
 */
public final class UniGrpo {
    /**
     * @param groupSize       G responses per prompt
     * @param innerIterations μ gradient steps per rollout batch
     * @param uniformlySpaced mask ratios uniformly spaced (UniGRPO) or i.i.d. random (ablation)
     * @param d1Variant       answer fully masked, prompt masked with {@code d1PromptRatio} (comparison)
     */
    public record Config(int groupSize, int innerIterations, double clipEps, double klBeta, boolean uniformlySpaced,
                         boolean d1Variant, float d1PromptRatio, TextSamplingParams sampling) {
    }

    /** A prompt (ids incl. the generation header) and its reference answer. */
    public record Prompt(int[] ids, String referenceAnswer) {
    }

    public record StepResult(double meanReward, double loss, double meanKl, double clippedFraction, float[] rewards,
                             List<String> responses) {
    }

    private final ModelTrainer policy;
    private final ModelTrainer reference;
    private final AdamW optimizer;
    private final Reward reward;
    private final TextTokenizer tokenizer;
    private final int maskId;
    private final Config cfg;
    private final UniGrpoLoss loss;
    private final ComputePool pool;

    public UniGrpo(ModelTrainer policy, ModelTrainer reference, AdamW optimizer, Reward reward, TextTokenizer tokenizer,
                   int maskId, Config cfg, ComputePool pool) {
        this.policy = policy;
        this.reference = reference;
        this.optimizer = optimizer;
        this.reward = reward;
        this.tokenizer = tokenizer;
        this.maskId = maskId;
        this.cfg = cfg;
        this.loss = new UniGrpoLoss(cfg.clipEps(), cfg.klBeta());
        this.pool = pool;
    }

    public StepResult step(List<Prompt> prompts, double lr, float maxGradNorm, RandomSource rng, SamplingRandom sampling) {
        int g = cfg.groupSize();
        int p0 = prompts.get(0).ids().length;
        int[][] batch = new int[prompts.size() * g][];
        for (int i = 0; i < prompts.size(); i++) {
            if (prompts.get(i).ids().length != p0) {
                throw new IllegalArgumentException("prompt " + i + " has " + prompts.get(i).ids().length
                        + " tokens, prompt 0 has " + p0 + ": left-pad the prompts of one step to one length");
            }
            for (int j = 0; j < g; j++) {
                batch[i * g + j] = prompts.get(i).ids();
            }
        }
        MmadaModel model = policy.model();
        TextSampler sampler = new TextSampler(new ModelPredictor(model), maskId);
        int[][] seqs = sampler.generate(batch, null, cfg.sampling(), sampling, org.mmada4j.sample.TextStepListener.NONE).ids();
        float[] rewards = new float[seqs.length];
        String[] responses = new String[seqs.length];
        for (int i = 0; i < seqs.length; i++) {
            // ids beyond the text vocabulary (image tokens, unused rows) carry no text
            int[] answer = Arrays.stream(seqs[i], p0, seqs[i].length).filter(id -> id >= 0 && id < tokenizer.size()).toArray();
            responses[i] = tokenizer.decode(answer, true);
            rewards[i] = (float) reward.score(responses[i], prompts.get(i / g).referenceAnswer());
        }
        float[] adv = GroupAdvantages.of(rewards, g);
        UpdateResult u = update(seqs, p0, adv, lr, maxGradNorm, rng);
        double mean = 0;
        for (float r : rewards) {
            mean += r;
        }
        return new StepResult(mean / rewards.length, u.loss(), u.meanKl(), u.clippedFraction(), rewards, List.of(responses));
    }

    /** What the μ updates did (averages over the inner iterations). */
    public record UpdateResult(double loss, double meanKl, double clippedFraction) {
    }

    /**
     * The policy-update half of a step on given responses and advantages (rows {@code [prompt | answer]},
     * answer from {@code promptLength}).
     */
    public UpdateResult update(int[][] seqs, int promptLength, float[] adv, double lr, float maxGradNorm, RandomSource rng) {
        int n = seqs.length;
        int len = seqs[0].length;
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
                    ? StructuredNoising.d1(seqs, promptLength, cfg.d1PromptRatio(), maskId, rng)
                    : StructuredNoising.uniGrpo(seqs, promptLength, ratios[it], maskId, rng);
            old[it] = UniGrpoLoss.tokenLogProbs(pool, policy.logits(noised[it].ids(), n, len, null), vocab, targets,
                    noised[it].lossPositions());
            ref[it] = UniGrpoLoss.tokenLogProbs(pool, reference.logits(noised[it].ids(), n, len, null), vocab, targets,
                    noised[it].lossPositions());
        }
        double lossSum = 0;
        double klSum = 0;
        double clipSum = 0;
        for (int it = 0; it < mu; it++) {
            StructuredNoising.Noised x = noised[it];
            float[] o = old[it];
            float[] r = ref[it];
            UniGrpoLoss.Result[] res = new UniGrpoLoss.Result[1];
            policy.accumulate(x.ids(), n, len, null, z -> {
                res[0] = loss.compute(pool, z, vocab, len, targets, x.lossPositions(), o, r, adv);
                return res[0].dLogits();
            });
            policy.optimizerStep(optimizer, lr, maxGradNorm);
            lossSum += res[0].loss();
            klSum += res[0].meanKl();
            clipSum += res[0].clippedFraction();
        }
        return new UpdateResult(lossSum / mu, klSum / mu, clipSum / mu);
    }
}
