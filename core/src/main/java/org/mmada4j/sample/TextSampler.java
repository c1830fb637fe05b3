package org.mmada4j.sample;

import java.util.Arrays;

/**
 * LLaDA's semi-autoregressive low-confidence remasking, the exact sampler ({@code generate.py generate},
 * {@code MMadaModelLM.mmu_generate} / {@code mmu_generate_fast} of Gen-Verse/MMaDA 3cdb870): the answer is
 * split into blocks decoded left to right; in each block the masks are committed over steps/blocks steps,
 * {@code get_num_transfer_tokens} of them per step, the most confident first. Every step is a full
 * forward of the whole sequence (no cache; see {@link CachedTextSampler} for the fast modes).
 *
 * <p>Only the logits the decision reads are asked of the model: rows from the first masked position up
 * to the end of the current block (later positions get confidence −∞, unmasked ones are never chosen).
 * Steps in which no row commits a token (more steps than masks in a block) are skipped: the reference
 * runs a forward whose result it discards, so the output is the same with fewer forwards.
 */
public final class TextSampler {
    private final MaskPredictor model;
    private final int maskId;

    /**
     * @param ids           [B][L] final sequences (positions of blocks skipped by an early stop stay MASK)
     * @param forwardPasses model calls (NFE)
     * @param generated     per row: generated tokens up to and including the first stop token (all when none)
     */
    public record Result(int[][] ids, int forwardPasses, int[] generated) {
    }

    public TextSampler(MaskPredictor model, int maskId) {
        this.model = model;
        this.maskId = maskId;
    }

    /**
     * Appends {@code genLength} masks to every prompt row and decodes them.
     *
     * @param prompts       [B][P] prompt ids, rows of one length (left-pad shorter prompts, see {@link TextBatch})
     * @param attentionMask [B][P] 1 = real token (null: all real); extended with ones over the answer
     */
    public Result generate(int[][] prompts, int[][] attentionMask, TextSamplingParams p, SamplingRandom rnd,
                           TextStepListener listener) {
        int p0 = checkPrompts(prompts, attentionMask, p.genLength());
        int len = p0 + p.genLength();
        int[][] x = new int[prompts.length][len];
        int[][] mask = attentionMask == null ? null : new int[prompts.length][len];
        for (int b = 0; b < prompts.length; b++) {
            System.arraycopy(prompts[b], 0, x[b], 0, p0);
            Arrays.fill(x[b], p0, len, maskId);
            if (mask != null) {
                System.arraycopy(attentionMask[b], 0, mask[b], 0, p0);
                Arrays.fill(mask[b], p0, len, 1);
            }
        }
        return fill(x, mask, p0, p, rnd, listener);
    }

    /**
     * Decodes the masks of {@code x[:, start, start+genLength)} block by block, in place; tokens already there are
     * kept (completing a partial answer). Masks before {@code start} compete in every step, as in the reference
     * (text infilling: {@code start} = 0 and one block over the whole sequence).
     */
    public Result fill(int[][] x, int[][] attentionMask, int start, TextSamplingParams p, SamplingRandom rnd,
                       TextStepListener listener) {
        int bsz = x.length;
        int len = x[0].length;
        if (start < 0 || start + p.genLength() > len) {
            throw new IllegalArgumentException("generation region [" + start + ", " + (start + p.genLength())
                    + ") does not fit sequences of length " + len);
        }
        if (len > model.maxSequenceLength()) {
            throw new IllegalArgumentException("sequence of " + len + " tokens (prompt + gen_length) exceeds the model's"
                    + " context of " + model.maxSequenceLength());
        }
        boolean cfg = p.cfgScale() > 0;
        int vocab = model.vocabSize();
        boolean[][] prompt = new boolean[bsz][len];
        for (int b = 0; b < bsz; b++) {
            for (int t = 0; t < len; t++) {
                prompt[b][t] = x[b][t] != maskId;
            }
        }
        int[][] batch = new int[cfg ? 2 * bsz : bsz][];
        int[][] masks = attentionMask == null ? null : new int[batch.length][];
        if (masks != null) {
            for (int b = 0; b < bsz; b++) {
                masks[b] = attentionMask[b];
                if (cfg) {
                    masks[bsz + b] = attentionMask[b];
                }
            }
        }
        int spb = p.stepsPerBlock();
        int nfe = 0;
        int stepIndex = 0;
        for (int block = 0; block < p.numBlocks(); block++) {
            int bs = start + block * p.blockLength();
            int be = bs + p.blockLength();
            int[][] k = TokenPredictions.blockTransferCounts(x, bs, be, maskId, spb);
            for (int s = 0; s < spb; s++, stepIndex++) {
                int lo = be;
                int total = 0;
                for (int b = 0; b < bsz; b++) {
                    total += k[b][s];
                    for (int t = 0; t < be; t++) {
                        if (x[b][t] == maskId) {
                            lo = Math.min(lo, t);
                            break;
                        }
                    }
                }
                if (total == 0 || lo == be) {
                    listener.onStep(stepIndex, p.steps(), x, 0);
                    continue;
                }
                for (int b = 0; b < bsz; b++) {
                    batch[b] = x[b];
                    if (cfg) {
                        int[] un = x[b].clone();
                        for (int t = 0; t < len; t++) {
                            if (prompt[b][t]) {
                                un[t] = maskId;
                            }
                        }
                        batch[bsz + b] = un;
                    }
                }
                float[] logits = model.logits(batch, masks, lo, be, 0, vocab);
                nfe++;
                int[] kNow = new int[bsz];
                for (int b = 0; b < bsz; b++) {
                    kNow[b] = k[b][s];
                }
                int committed = StepDecision.commit(x, logits, cfg, lo, be, vocab, maskId, kNow, 0, p, rnd);
                listener.onStep(stepIndex, p.steps(), x, committed);
            }
            if (p.stopToken().isPresent() && allEndWith(x, be - 1, p.stopToken().getAsInt())) {
                break;
            }
        }
        return new Result(x, nfe, generatedLengths(x, start, p));
    }

    private int checkPrompts(int[][] prompts, int[][] attentionMask, int genLength) {
        if (prompts == null || prompts.length == 0) {
            throw new IllegalArgumentException("empty batch: no prompt rows");
        }
        int p0 = prompts[0].length;
        for (int b = 0; b < prompts.length; b++) {
            if (prompts[b].length == 0) {
                throw new IllegalArgumentException("empty prompt in row " + b);
            }
            if (prompts[b].length != p0) {
                throw new IllegalArgumentException("prompt row " + b + " has " + prompts[b].length + " tokens, row 0 has "
                        + p0 + ": left-pad the batch to one length (TextBatch)");
            }
            if (attentionMask != null && attentionMask[b].length != p0) {
                throw new IllegalArgumentException("attention mask row " + b + " has length " + attentionMask[b].length
                        + ", prompts " + p0);
            }
            for (int t = 0; t < p0; t++) {
                if (prompts[b][t] < 0 || prompts[b][t] >= model.vocabSize()) {
                    throw new IllegalArgumentException("prompt row " + b + " position " + t + ": id " + prompts[b][t]
                            + " outside the vocabulary [0, " + model.vocabSize() + ")");
                }
            }
        }
        if ((long) p0 + genLength > model.maxSequenceLength()) {
            throw new IllegalArgumentException("prompt of " + p0 + " tokens + gen_length " + genLength
                    + " exceeds the model's context of " + model.maxSequenceLength());
        }
        return p0;
    }

    private static boolean allEndWith(int[][] x, int pos, int token) {
        for (int[] row : x) {
            if (row[pos] != token) {
                return false;
            }
        }
        return true;
    }

    private int[] generatedLengths(int[][] x, int start, TextSamplingParams p) {
        int[] out = new int[x.length];
        for (int b = 0; b < x.length; b++) {
            int n = 0;
            for (int t = start; t < start + p.genLength(); t++) {
                if (x[b][t] == maskId) {
                    break;
                }
                n++;
                if (p.stopToken().isPresent() && x[b][t] == p.stopToken().getAsInt()) {
                    break;
                }
            }
            out[b] = n;
        }
        return out;
    }
}
