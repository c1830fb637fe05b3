package org.mmada4j.sample;

import java.util.Arrays;
import org.mmada4j.prompt.SpecialTokens;

/**
 * Text-to-image MaskGIT decoding with classifier-free guidance, step for step as
 * {@code MMadaModelLM.t2i_generate} ({@code models/modeling_mmada.py}, Gen-Verse/MMaDA 3cdb870).
 *
 * <p>Per step: one forward of [cond rows; uncond rows] (the unconditional rows are the unconditional
 * text prefix followed by the cond rows' current image part), {@code l = (1+w)·cond − w·uncond} on the
 * image slots and the image slice of the vocabulary only, fp32 softmax, one categorical draw per slot,
 * then the {@code mask_len} least confident newly sampled slots (score {@code ln p + τ·Gumbel}, known
 * slots at +max) are re-masked. τ compounds: {@code τ ← τ·(1 − (s+1)/T)} every step (reference quirk).
 * Slots that already hold image tokens when decoding starts are known and never re-masked (inpainting).
 */
public final class ImageSampler {
    private final MaskPredictor model;
    private final SpecialTokens tok;

    /**
     * @param codes         [B][N] codes of the last step (complete, as the reference returns {@code sampled_ids})
     * @param ids           [B][L] the sequence after the last step (≤ 1 slot per row re-masked)
     * @param forwardPasses model calls made (NFE)
     */
    public record Result(int[][] codes, int[][] ids, int forwardPasses) {
    }

    public ImageSampler(MaskPredictor model, SpecialTokens tokens) {
        this.model = model;
        this.tok = tokens;
    }

    /**
     * @param condIds      [B][L] t2i rows ({@code Prompting.t2iGen}); image slots = [L−N−1, L−1) hold MASK or, for
     *                     inpainting, known image tokens
     * @param condMask     [B][L] their padding masks
     * @param uncondIds    [B][≥ prefix] unconditional rows (only the first {@code prefixLength} are used); null
     *                     when {@code guidance == 0}
     * @param uncondMask   [B][L] padding masks of the unconditional rows
     * @param prefixLength the text prefix size T+1 (the reference's {@code resolution + 1})
     */
    public Result generate(int[][] condIds, int[][] condMask, int[][] uncondIds, int[][] uncondMask,
                           int prefixLength, ImageSamplingParams p, SamplingRandom rnd, ImageStepListener listener) {
        int b = condIds.length;
        int n = tok.numVqTokens();
        int c = tok.codebookSize();
        int len = validate(condIds, condMask, uncondIds, uncondMask, prefixLength, p, n);
        boolean cfg = p.guidance() > 0;
        int slot0 = len - n - 1;
        int[][] ids = new int[b][];
        int[][] codes = new int[b][n];
        boolean[][] unknown = new boolean[b][n];
        for (int r = 0; r < b; r++) {
            ids[r] = condIds[r].clone();
            for (int i = 0; i < n; i++) {
                int id = ids[r][slot0 + i];
                unknown[r][i] = id == tok.mask();
                codes[r][i] = unknown[r][i] ? -1 : id - tok.imageOffset();
            }
        }
        int[][] batch = new int[cfg ? 2 * b : b][];
        int[][] masks = new int[batch.length][];
        for (int r = 0; r < b; r++) {
            masks[r] = condMask[r];
            if (cfg) {
                masks[b + r] = uncondMask[r];
            }
        }
        float[] probs = new float[b * n * c];
        int[] sampled = new int[b * n];
        float[] gumbel = new float[b * n];
        float[] conf = new float[b * n];
        double temperature = p.temperature();
        int nfe = 0;
        int[][] lastCodes = new int[b][n];
        for (int step = 0; step < p.steps(); step++) {
            for (int r = 0; r < b; r++) {
                batch[r] = ids[r];
                if (cfg) {
                    int[] un = ids[r].clone();
                    System.arraycopy(uncondIds[r], 0, un, 0, prefixLength);
                    batch[b + r] = un;
                }
            }
            float[] logits = model.logits(batch, masks, slot0, slot0 + n, tok.imageOffset(), tok.imageOffset() + c);
            nfe++;
            int rowSize = n * c;
            float wc = 1f + p.guidance();
            float wu = p.guidance();
            for (int r = 0; r < b; r++) {
                for (int j = 0; j < rowSize; j++) {
                    float v = logits[r * rowSize + j];
                    probs[r * rowSize + j] = cfg ? wc * v - wu * logits[(b + r) * rowSize + j] : v;
                }
            }
            for (int row = 0; row < b * n; row++) {
                softmax(probs, row * c, c);
            }
            rnd.multinomial(probs, b * n, c, sampled);
            double ratio = 1.0 * (step + 1) / p.steps();
            float maskRatio = p.schedule().maskRatio((float) ratio);
            float maskLen = (float) Math.floor((float) n * maskRatio);
            temperature = temperature * (1.0 - ratio);
            rnd.gumbel(gumbel);
            for (int r = 0; r < b; r++) {
                int unknownCount = 0;
                for (int i = 0; i < n; i++) {
                    int k = r * n + i;
                    float selected;
                    if (unknown[r][i]) {
                        unknownCount++;
                        int s = sampled[k];
                        if (s < 0 || s >= c) {
                            throw new IllegalStateException("random source drew code " + s + " outside [0, " + c + ")");
                        }
                        selected = probs[k * c + s];
                    } else {
                        sampled[k] = codes[r][i];
                        selected = Float.MAX_VALUE;
                    }
                    conf[k] = (float) Math.log(Math.max(selected, 1e-20f)) + (float) temperature * gumbel[k];
                }
                int rowMaskLen = (int) Math.max(1, Math.min(unknownCount - 1, maskLen));
                float[] sorted = Arrays.copyOfRange(conf, r * n, (r + 1) * n);
                Arrays.sort(sorted);
                float cutoff = sorted[Math.min(rowMaskLen, n - 1)];
                for (int i = 0; i < n; i++) {
                    int k = r * n + i;
                    boolean remask = conf[k] < cutoff;
                    lastCodes[r][i] = sampled[k];
                    unknown[r][i] = remask;
                    codes[r][i] = remask ? -1 : sampled[k];
                    ids[r][slot0 + i] = remask ? tok.mask() : tok.imageOffset() + sampled[k];
                }
            }
            listener.onStep(step, p.steps(), copy(lastCodes), copy(ids));
        }
        return new Result(lastCodes, ids, nfe);
    }

    private int validate(int[][] condIds, int[][] condMask, int[][] uncondIds, int[][] uncondMask, int prefixLength,
                         ImageSamplingParams p, int n) {
        if (condIds.length == 0) {
            throw new IllegalArgumentException("empty batch: no t2i rows");
        }
        int len = condIds[0].length;
        if (len > model.maxSequenceLength()) {
            throw new IllegalArgumentException("t2i sequence of " + len + " tokens exceeds the model's context of "
                    + model.maxSequenceLength());
        }
        if (prefixLength < 1 || prefixLength + n + 2 > len) {
            throw new IllegalArgumentException("t2i rows of length " + len + " cannot hold a text prefix of "
                    + prefixLength + " + <|soi|> + " + n + " image tokens + <|eoi|>");
        }
        for (int r = 0; r < condIds.length; r++) {
            checkRow("cond ids", r, condIds[r], len);
            checkRow("cond attention mask", r, condMask[r], len);
            if (condIds[r][len - n - 2] != tok.soi() || condIds[r][len - 1] != tok.eoi()) {
                throw new IllegalArgumentException("t2i row " + r + ": image slots must be framed by <|soi|> at "
                        + (len - n - 2) + " and <|eoi|> at " + (len - 1));
            }
            for (int i = len - n - 1; i < len - 1; i++) {
                int id = condIds[r][i];
                if (id != tok.mask() && !tok.isImageToken(id)) {
                    throw new IllegalArgumentException("t2i row " + r + " position " + i + ": id " + id
                            + " is neither MASK nor an image token");
                }
            }
        }
        if (p.guidance() > 0) {
            if (uncondIds == null || uncondMask == null || uncondIds.length != condIds.length
                    || uncondMask.length != condIds.length) {
                throw new IllegalArgumentException("guidance " + p.guidance()
                        + " > 0 needs one unconditional row and mask per cond row");
            }
            for (int r = 0; r < condIds.length; r++) {
                if (uncondIds[r].length < prefixLength) {
                    throw new IllegalArgumentException("uncond row " + r + " is shorter than the text prefix "
                            + prefixLength);
                }
                checkRow("uncond attention mask", r, uncondMask[r], len);
            }
        }
        return len;
    }

    private static void checkRow(String what, int r, int[] row, int len) {
        if (row == null || row.length != len) {
            throw new IllegalArgumentException(what + " row " + r + " has length "
                    + (row == null ? "null" : row.length) + ", expected " + len);
        }
    }

    /** fp32 softmax as PyTorch's CPU kernel: exp(x − max), sum, multiply by 1/sum. */
    static void softmax(float[] x, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int i = 0; i < n; i++) {
            x[off + i] *= inv;
        }
    }

    private static int[][] copy(int[][] a) {
        int[][] out = new int[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }
}
