package org.mmada4j.sample;

import java.util.Arrays;
import org.mmada4j.model.ForwardState;
import org.mmada4j.model.KvCache;
import org.mmada4j.model.Logits;
import org.mmada4j.model.LogitsSpec;
import org.mmada4j.model.MmadaModel;
import org.mmada4j.tensor.AttentionMask;

/**
 * Fast text sampling (Fast-dLLM, Wu et al. 2025): the semi-autoregressive sampler with approximate
 * key/value caches and confidence-threshold parallel decoding.
 *
 * <ul>
 *   <li>{@link Cache#PREFIX}: at each block's first step one full forward fills the cache; the block's other
 *       steps recompute only positions [block start, L) and read the prefix's keys/values from the cache.</li>
 *   <li>{@link Cache#DUAL}: the other steps recompute only the block; prefix and the masked suffix both come
 *       from the cache.</li>
 *   <li>threshold τ &gt; 0: every masked token of the block with confidence ≥ τ is committed, at least the most
 *       confident one; a block ends when it has no mask left (the number of steps adapts).</li>
 *   <li>stop at end-of-text: after a block, rows whose generated text already holds the stop token are done
 *       (LLaDA fills the rest with end-of-text); decoding ends when all rows are done.</li>
 * </ul>
 * Approximation: attention is bidirectional, so cached keys/values of the prefix (and suffix) depend on the
 * block tokens committed since the cache was filled; they are refreshed once per block. With
 * {@link Cache#NONE}, a fixed schedule and no stop, the output equals {@link TextSampler}'s.
 */
public final class CachedTextSampler {
    /** Which positions' keys/values are reused within a block. */
    public enum Cache {
        NONE, PREFIX, DUAL;

        public static Cache parse(String s) {
            return switch (s) {
                case "none" -> NONE;
                case "prefix" -> PREFIX;
                case "dual" -> DUAL;
                default -> throw new IllegalArgumentException("unknown cache '" + s + "' (expected none, prefix, dual)");
            };
        }
    }

    /**
     * @param cache      cache mode
     * @param threshold  τ of threshold decoding; 0 = the exact per-step transfer counts
     * @param stopToken  end-of-text id for the early stop; −1 = none
     */
    public record Options(Cache cache, double threshold, int stopToken) {
        public Options {
            if (!(threshold >= 0 && threshold <= 1)) {
                throw new IllegalArgumentException("confidence threshold must be in [0, 1], got " + threshold);
            }
        }
    }

    private final MmadaModel model;
    private final ForwardState state;
    private final int maskId;

    public CachedTextSampler(MmadaModel model, int maskId) {
        this.model = model;
        this.state = model.newState();
        this.maskId = maskId;
    }

    /** As {@link TextSampler#generate}, with the fast options. */
    public TextSampler.Result generate(int[][] prompts, int[][] attentionMask, TextSamplingParams p, Options o,
                                      SamplingRandom rnd, TextStepListener listener) {
        int bsz = prompts.length;
        if (bsz == 0 || prompts[0].length == 0) {
            throw new IllegalArgumentException("empty prompt");
        }
        int p0 = prompts[0].length;
        int len = p0 + p.genLength();
        if (len > model.config().maxSequenceLength()) {
            throw new IllegalArgumentException("prompt of " + p0 + " tokens + gen_length " + p.genLength()
                    + " exceeds the model's context of " + model.config().maxSequenceLength());
        }
        boolean cfg = p.cfgScale() > 0;
        int rowsInBatch = cfg ? 2 * bsz : bsz;
        int vocab = model.config().embeddingSize();
        int[][] x = new int[bsz][len];
        int[] maskFlat = null;
        for (int b = 0; b < bsz; b++) {
            if (prompts[b].length != p0) {
                throw new IllegalArgumentException("prompt row " + b + " has " + prompts[b].length + " tokens, row 0 has "
                        + p0 + ": left-pad the batch to one length (TextBatch)");
            }
            System.arraycopy(prompts[b], 0, x[b], 0, p0);
            Arrays.fill(x[b], p0, len, maskId);
        }
        if (attentionMask != null) {
            maskFlat = new int[rowsInBatch * len];
            for (int r = 0; r < rowsInBatch; r++) {
                int[] m = attentionMask[r % bsz];
                System.arraycopy(m, 0, maskFlat, r * len, p0);
                Arrays.fill(maskFlat, r * len + p0, (r + 1) * len, 1);
            }
        }
        AttentionMask am = maskFlat == null ? AttentionMask.none() : AttentionMask.padding(maskFlat, rowsInBatch, len);
        KvCache cache = o.cache() == Cache.NONE ? null : model.newKvCache(rowsInBatch, len);
        int[] ids = new int[rowsInBatch * len];
        int spb = p.stepsPerBlock();
        boolean[] done = new boolean[bsz];
        int nfe = 0;
        int stepIndex = 0;
        for (int block = 0; block < p.numBlocks(); block++) {
            int bs = p0 + block * p.blockLength();
            int be = bs + p.blockLength();
            int[][] k = TokenPredictions.blockTransferCounts(x, bs, be, maskId, spb);
            for (int s = 0; ; s++) {
                boolean anyMask = false;
                for (int b = 0; b < bsz && !anyMask; b++) {
                    for (int t = bs; t < be; t++) {
                        if (x[b][t] == maskId) {
                            anyMask = true;
                            break;
                        }
                    }
                }
                // a step may commit MASK itself when the model predicts it (as the reference may): bound the steps
                if (!anyMask || s >= (o.threshold() == 0 ? spb : p.blockLength())) {
                    break;
                }
                int[] kNow = null;
                if (o.threshold() == 0) {
                    kNow = new int[bsz];
                    int total = 0;
                    for (int b = 0; b < bsz; b++) {
                        kNow[b] = k[b][s];
                        total += kNow[b];
                    }
                    if (total == 0) {
                        continue;
                    }
                }
                fillIds(ids, x, cfg, p0, len);
                Logits logits;
                LogitsSpec spec = LogitsSpec.rows(bs, be);
                if (cache == null) {
                    logits = model.forward(state, ids, rowsInBatch, len, am, spec);
                } else if (s == 0) {
                    logits = model.forward(state, ids, rowsInBatch, len, am, spec, cache);
                } else {
                    int end = o.cache() == Cache.PREFIX ? len : be;
                    logits = model.forwardWindow(state, ids, rowsInBatch, len, bs, end, am, spec, cache);
                }
                nfe++;
                int committed = StepDecision.commit(x, logits.data(), cfg, bs, be, vocab, maskId, kNow, o.threshold(),
                        p, rnd);
                listener.onStep(stepIndex++, p.steps(), x, committed);
            }
            if (o.stopToken() >= 0) {
                boolean all = true;
                for (int b = 0; b < bsz; b++) {
                    for (int t = p0; t < be && !done[b]; t++) {
                        done[b] = x[b][t] == o.stopToken();
                    }
                    all &= done[b];
                }
                if (all) {
                    break;
                }
            }
        }
        int[] generated = new int[bsz];
        for (int b = 0; b < bsz; b++) {
            for (int t = p0; t < len && x[b][t] != maskId; t++) {
                generated[b]++;
                if (x[b][t] == o.stopToken()) {
                    break;
                }
            }
        }
        return new TextSampler.Result(x, nfe, generated);
    }

    /** The model batch: rows of x, then (CFG) the same rows with the prompt masked. */
    private void fillIds(int[] ids, int[][] x, boolean cfg, int p0, int len) {
        int bsz = x.length;
        for (int b = 0; b < bsz; b++) {
            System.arraycopy(x[b], 0, ids, b * len, len);
            if (cfg) {
                int off = (bsz + b) * len;
                System.arraycopy(x[b], 0, ids, off, len);
                Arrays.fill(ids, off, off + p0, maskId);
            }
        }
    }
}
