package org.mmada4j.train;

import java.util.ArrayList;
import java.util.List;
import org.mmada4j.prompt.Prompting;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.prompt.TaskSequence;
import org.mmada4j.sample.ImageSampler;
import org.mmada4j.sample.ImageSamplingParams;
import org.mmada4j.sample.ImageStepListener;
import org.mmada4j.sample.ModelPredictor;
import org.mmada4j.sample.SamplingRandom;
import org.mmada4j.score.WeightedScorers;
import org.mmada4j.tensor.AttentionMask;
import org.mmada4j.text.TextTokenizer;
import org.mmada4j.vq.RgbImage;

/**
 * UniGRPO for text-to-image answers (MMaDA paper §3.3; the paper's T2I reward is
 * {@code 0.1·CLIP + 0.1·ImageReward}). One {@link #step}:
 * <ol>
 *   <li>G rollouts per prompt with the MaskGIT sampler, batched over all P·G rows (CFG optional), rows
 *       {@code [iPAD… <|t2i|> BOS text EOS <|soi|> image <|eoi|>]};</li>
 *   <li>the final codes (the sampler's last draw, all N filled) written into the image slots, decoded to
 *       RGB ({@link ImageDecoder}, MAGVIT-v2 in runs), scored against the prompt text by a weighted sum of
 *       image–text scorers; group-normalised advantages;</li>
 *   <li>the {@link GrpoUpdate} with each row's answer span = its N image tokens: the text prefix,
 *       {@code <|soi|>} and {@code <|eoi|>} are never masked, and the update uses the rollouts' padding
 *       mask (the t2i left [iPAD]s are masked keys, as in sampling).</li>
 * </ol>
 */
public final class TextToImageGrpo {
    /**
     * @param groupSize     G images per prompt
     * @param maxTextLength T of the t2i layout (text prefix T+1 tokens)
     */
    public record Config(int groupSize, int maxTextLength, ImageSamplingParams sampling) {
    }

    /**
     * @param termRewards [scorer terms][P·G] each scorer's unweighted score
     * @param codes       [P·G][N] the sampled codes
     */
    public record StepResult(double meanReward, double loss, double meanKl, double clippedFraction, float gradNorm,
                             float[] rewards, double[][] termRewards, int[][] codes, long tokens) {
    }

    private final GrpoUpdate update;
    private final TextTokenizer tokenizer;
    private final SpecialTokens tok;
    private final ImageDecoder decoder;
    private final WeightedScorers reward;
    private final Config cfg;
    private final Prompting prompting;

    public TextToImageGrpo(GrpoUpdate update, TextTokenizer tokenizer, SpecialTokens tokens, ImageDecoder decoder,
                           WeightedScorers reward, Config cfg) {
        this.update = update;
        this.tokenizer = tokenizer;
        this.tok = tokens;
        this.decoder = decoder;
        this.reward = reward;
        this.cfg = cfg;
        this.prompting = new Prompting(tokens);
    }

    public StepResult step(List<String> prompts, double lr, float maxGradNorm, RandomSource rng, SamplingRandom sampling) {
        int g = cfg.groupSize();
        int rows = prompts.size() * g;
        int n = tok.numVqTokens();
        int t = cfg.maxTextLength();
        boolean guided = cfg.sampling().guidance() > 0;
        TaskSequence uncond = guided ? prompting.t2iUncond(t, n) : null;
        int[][] cond = new int[rows][];
        int[][] condMask = new int[rows][];
        int[][] un = guided ? new int[rows][] : null;
        int[][] unMask = guided ? new int[rows][] : null;
        for (int i = 0; i < prompts.size(); i++) {
            TaskSequence c = prompting.t2iGen(tokenizer.encode(prompts.get(i)), t, n);
            for (int j = 0; j < g; j++) {
                int r = i * g + j;
                cond[r] = c.ids().clone();
                condMask[r] = c.attentionMask();
                if (guided) {
                    un[r] = uncond.ids();
                    unMask[r] = uncond.attentionMask();
                }
            }
        }
        ImageSampler sampler = new ImageSampler(new ModelPredictor(update.policy().model()), tok);
        ImageSampler.Result out = sampler.generate(cond, condMask, un, unMask, t + 1, cfg.sampling(), sampling,
                ImageStepListener.NONE);
        int len = cond[0].length;
        int slot0 = len - n - 1;
        int[][] seqs = new int[rows][];
        StructuredNoising.Span[] spans = new StructuredNoising.Span[rows];
        int[] flatMask = new int[rows * len];
        List<RgbImage> images = new ArrayList<>(rows);
        List<String> texts = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            seqs[r] = cond[r].clone();
            for (int k = 0; k < n; k++) {
                // the reference clamps the last draw into the codebook before decoding; the rollout is those codes
                int code = Math.max(0, Math.min(tok.codebookSize() - 1, out.codes()[r][k]));
                seqs[r][slot0 + k] = tok.imageToken(code);
            }
            spans[r] = new StructuredNoising.Span(slot0, slot0 + n);
            System.arraycopy(condMask[r], 0, flatMask, r * len, len);
            images.add(decoder.decode(out.codes()[r]));
            texts.add(prompts.get(r / g));
        }
        double[][] terms = reward.scoreTerms(images, texts);
        double[] total = reward.combine(terms);
        float[] rewards = new float[rows];
        double mean = 0;
        for (int r = 0; r < rows; r++) {
            rewards[r] = (float) total[r];
            mean += total[r];
        }
        float[] adv = GroupAdvantages.of(rewards, g);
        GrpoUpdate.Result u = update.apply(seqs, spans, padding(flatMask, rows, len), adv, lr, maxGradNorm, rng);
        return new StepResult(mean / rows, u.loss(), u.meanKl(), u.clippedFraction(), u.gradNorm(), rewards, terms, out.codes(),
                (long) rows * len);
    }

    /** The padding mask of the rows, or none when nothing is padded (a prompt filling the whole text area). */
    private static AttentionMask padding(int[] flat, int rows, int len) {
        for (int v : flat) {
            if (v == 0) {
                return AttentionMask.padding(flat, rows, len);
            }
        }
        return AttentionMask.none();
    }
}
