package org.mmada4j.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mmada4j.model.MmadaModel;
import org.mmada4j.sample.ModelPredictor;
import org.mmada4j.sample.SamplingRandom;
import org.mmada4j.sample.TextSampler;
import org.mmada4j.sample.TextSamplingParams;
import org.mmada4j.sample.TextStepListener;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.text.TextTokenizer;
import org.mmada4j.vq.RgbImage;

/**
 * UniGRPO (MMaDA paper §3.3, Algorithm 1; spec §6.4) for text answers — plain text prompts and
 * image-understanding (mmu) prompts, whose image tokens are part of the prompt. One {@link #step}:
 * <ol>
 *   <li>G rollouts per prompt with the semi-autoregressive sampler (batched, the current policy);</li>
 *   <li>rewards of the decoded responses ({@link ResponseReward}), group-normalised advantages;</li>
 *   <li>the policy update of {@link GrpoUpdate} with the answer = everything after the prompt.</li>
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
        public GrpoUpdate.Config update() {
            return new GrpoUpdate.Config(innerIterations, clipEps, klBeta, uniformlySpaced, d1Variant, d1PromptRatio);
        }
    }

    /**
     * A prompt (ids incl. the generation header), its reference answer and, for image-understanding
     * prompts scored by an image–text reward, the image it shows (else null).
     */
    public record Prompt(int[] ids, String referenceAnswer, RgbImage image) {
        public Prompt(int[] ids, String referenceAnswer) {
            this(ids, referenceAnswer, null);
        }
    }

    /** @param termRewards mean of each reward component over all responses, by name (empty for a single reward) */
    public record StepResult(double meanReward, double loss, double meanKl, double clippedFraction, float[] rewards,
                             List<String> responses, float gradNorm, Map<String, Double> termRewards) {
    }

    private final ResponseReward reward;
    private final TextTokenizer tokenizer;
    private final int maskId;
    private final Config cfg;
    private final GrpoUpdate update;

    public UniGrpo(ModelTrainer policy, ModelTrainer reference, AdamW optimizer, Reward reward, TextTokenizer tokenizer,
                   int maskId, Config cfg, ComputePool pool) {
        this(new GrpoUpdate(policy, reference, optimizer, maskId, cfg.update(), pool), ResponseReward.each(reward),
                tokenizer, maskId, cfg);
    }

    /** Rollouts scored by a group reward (e.g. correctness + format + a caption scorer on the prompt's image). */
    public UniGrpo(GrpoUpdate update, ResponseReward reward, TextTokenizer tokenizer, int maskId, Config cfg) {
        this.update = update;
        this.reward = reward;
        this.tokenizer = tokenizer;
        this.maskId = maskId;
        this.cfg = cfg;
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
        MmadaModel model = update.policy().model();
        TextSampler sampler = new TextSampler(new ModelPredictor(model), maskId);
        int[][] seqs = sampler.generate(batch, null, cfg.sampling(), sampling, TextStepListener.NONE).ids();
        float[] rewards = new float[seqs.length];
        String[] responses = new String[seqs.length];
        for (int i = 0; i < seqs.length; i++) {
            // ids beyond the text vocabulary (image tokens, unused rows) carry no text
            int[] answer = Arrays.stream(seqs[i], p0, seqs[i].length).filter(id -> id >= 0 && id < tokenizer.size()).toArray();
            responses[i] = tokenizer.decode(answer, true);
        }
        Map<String, Double> terms = new LinkedHashMap<>();
        for (int i = 0; i < prompts.size(); i++) {
            ResponseReward.Scored scored = reward.scoreTerms(prompts.get(i), List.of(responses).subList(i * g, (i + 1) * g));
            double[] r = scored.total();
            scored.terms().forEach((name, v) -> terms.merge(name, Arrays.stream(v).sum() / seqs.length, Double::sum));
            if (r.length != g) {
                throw new IllegalStateException("reward gave " + r.length + " scores for " + g + " responses");
            }
            for (int j = 0; j < g; j++) {
                rewards[i * g + j] = (float) r[j];
            }
        }
        float[] adv = GroupAdvantages.of(rewards, g);
        UpdateResult u = update(seqs, p0, adv, lr, maxGradNorm, rng);
        double mean = 0;
        for (float r : rewards) {
            mean += r;
        }
        return new StepResult(mean / rewards.length, u.loss(), u.meanKl(), u.clippedFraction(), rewards, List.of(responses),
                u.gradNorm(), terms);
    }

    /** What the μ updates did (averages over the inner iterations). */
    public record UpdateResult(double loss, double meanKl, double clippedFraction, float gradNorm) {
    }

    /**
     * The policy-update half of a step on given responses and advantages (rows {@code [prompt | answer]},
     * answer from {@code promptLength}).
     */
    public UpdateResult update(int[][] seqs, int promptLength, float[] adv, double lr, float maxGradNorm, RandomSource rng) {
        GrpoUpdate.Result r = update.apply(seqs, StructuredNoising.Span.after(promptLength, seqs), null, adv, lr,
                maxGradNorm, rng);
        return new UpdateResult(r.loss(), r.meanKl(), r.clippedFraction(), r.gradNorm());
    }
}
