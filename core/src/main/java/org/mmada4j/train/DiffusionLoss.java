package org.mmada4j.train;

import org.mmada4j.tensor.ComputePool;

/**
 * The joint masked-diffusion objective of {@code MMadaModelLM.forward_process} (models/modeling_mmada.py;
 * spec §6.1) over a batch whose rows are {@code [t2i | lm | mmu | r2i]}, all of length L:
 * <ul>
 *   <li>t2i: plain mean CE over the t2i rows' positions ≥ soi index with a label (soi, the masked
 *       image tokens, eoi), pooled over all t2i rows;</li>
 *   <li>lm, pretraining ({@code lmAnswerLengths == null}): {@code Σ_masked CE/p_b ÷ (B_lm·L)};</li>
 *   <li>lm, chat SFT, and mmu: {@code Σ_masked CE/(p_b·answer_len_b) ÷ B};</li>
 *   <li>r2i (Mixed Long-CoT reasoning before an image, not in the reference's scripts): the same
 *       form as chat SFT over the reasoning text and the image tokens together, the paper's Eq. 2
 *       (one t per row for the whole result, 1/p weighted, ÷ answer length and rows);</li>
 *   <li>total: {@code c_t2i·L_t2i + c_lm·L_lm + c_mmu·L_mmu + c_r2i·L_r2i}.</li>
 * </ul>
 * "Masked" is {@code input == MASK}, recomputed from the noised ids as the reference does. Each part
 * is {@code Σ w·CE} with per-token weights, so one {@link TokenCrossEntropy} pass gives every part
 * and the gradient of the total.
 */
public final class DiffusionLoss {
    /** Task coefficients of the total (t2i_coeff, lm_coeff, mmu_coeff, r2i_coeff in the configs). */
    public record Coefficients(double t2i, double lm, double mmu, double r2i) {
        /** The reference's three tasks (no r2i rows). */
        public Coefficients(double t2i, double lm, double mmu) {
            this(t2i, lm, mmu, 0);
        }
    }

    /**
     * One noised joint batch.
     *
     * @param inputIds        [B·L] noised ids
     * @param labels          [B·L] (−100 = ignored)
     * @param lmP             [lmRows] mask probability per lm row
     * @param lmAnswerLengths [lmRows] answer lengths (chat SFT) or null (pretraining)
     * @param mmuP            [mmuRows]
     * @param mmuAnswerLengths [mmuRows]
     * @param t2iSoiIndex     first position counted by the t2i loss (max_seq_length + 1)
     * @param r2iP            [r2iRows] mask probability per r2i row (after the mmu rows)
     * @param r2iAnswerLengths [r2iRows] reasoning + image positions (everything but the prompt)
     */
    public record Batch(int[] inputIds, int[] labels, int length, int t2iRows, int lmRows, int mmuRows,
                        float[] lmP, int[] lmAnswerLengths, float[] mmuP, int[] mmuAnswerLengths, int t2iSoiIndex,
                        int r2iRows, float[] r2iP, int[] r2iAnswerLengths) {
        /** A batch of the reference's three tasks (no r2i rows). */
        public Batch(int[] inputIds, int[] labels, int length, int t2iRows, int lmRows, int mmuRows, float[] lmP,
                     int[] lmAnswerLengths, float[] mmuP, int[] mmuAnswerLengths, int t2iSoiIndex) {
            this(inputIds, labels, length, t2iRows, lmRows, mmuRows, lmP, lmAnswerLengths, mmuP, mmuAnswerLengths,
                    t2iSoiIndex, 0, new float[0], new int[0]);
        }

        public int rows() {
            return t2iRows + lmRows + mmuRows + r2iRows;
        }
    }

    /** The parts, the total, and (if asked) the per-token CE and dTotal/dLogits. */
    public record Result(double t2i, double lm, double mmu, double r2i, double total, float[] tokenCe, float[] dLogits) {
    }

    private final int maskId;
    private final Coefficients coefficients;

    public DiffusionLoss(int maskId, Coefficients coefficients) {
        this.maskId = maskId;
        this.coefficients = coefficients;
    }

    /** Per-token weights of each part: [part][B·L], part 0 t2i, 1 lm, 2 mmu, 3 r2i. */
    public double[][] partWeights(Batch b) {
        int l = b.length();
        int n = b.rows() * l;
        if (b.inputIds().length != n || b.labels().length != n) {
            throw new IllegalArgumentException("batch of " + b.rows() + " rows x " + l + " needs " + n
                    + " ids and labels, got " + b.inputIds().length + " and " + b.labels().length);
        }
        double[][] w = new double[4][n];
        int count = 0;
        for (int r = 0; r < b.t2iRows(); r++) {
            for (int j = b.t2iSoiIndex(); j < l; j++) {
                if (b.labels()[r * l + j] != TrainingSequences.IGNORE) {
                    count++;
                }
            }
        }
        for (int r = 0; r < b.t2iRows(); r++) {
            for (int j = b.t2iSoiIndex(); j < l; j++) {
                if (b.labels()[r * l + j] != TrainingSequences.IGNORE) {
                    w[0][r * l + j] = 1.0 / count;
                }
            }
        }
        for (int i = 0; i < b.lmRows(); i++) {
            int r = b.t2iRows() + i;
            double p = b.lmP()[i];
            double norm = b.lmAnswerLengths() == null
                    ? (double) b.lmRows() * l
                    : answerLength(b.lmAnswerLengths()[i], "lm", i) * (double) b.lmRows();
            markMasked(b, r, w[1], 1.0 / (p * norm));
        }
        for (int i = 0; i < b.mmuRows(); i++) {
            int r = b.t2iRows() + b.lmRows() + i;
            double p = b.mmuP()[i];
            markMasked(b, r, w[2], 1.0 / (p * answerLength(b.mmuAnswerLengths()[i], "mmu", i) * b.mmuRows()));
        }
        for (int i = 0; i < b.r2iRows(); i++) {
            int r = b.t2iRows() + b.lmRows() + b.mmuRows() + i;
            double p = b.r2iP()[i];
            markMasked(b, r, w[3], 1.0 / (p * answerLength(b.r2iAnswerLengths()[i], "r2i", i) * b.r2iRows()));
        }
        return w;
    }

    private static int answerLength(int len, String part, int row) {
        if (len <= 0) {
            throw new IllegalArgumentException(part + " row " + row + " has no answer tokens (answer length " + len + ")");
        }
        return len;
    }

    private void markMasked(Batch b, int row, double[] w, double value) {
        int l = b.length();
        for (int j = 0; j < l; j++) {
            if (b.inputIds()[row * l + j] == maskId) {
                w[row * l + j] = value;
            }
        }
    }

    /**
     * Evaluates the loss on logits [B·L, vocab]; with {@code wantGradient} also dTotal/dLogits.
     */
    public Result compute(ComputePool pool, float[] logits, int vocab, Batch b, boolean wantGradient) {
        int n = b.rows() * b.length();
        if (logits.length != (long) n * vocab) {
            throw new IllegalArgumentException("logits have " + logits.length + " values, expected " + n + " x " + vocab);
        }
        double[][] parts = partWeights(b);
        double[] total = new double[n];
        for (int i = 0; i < n; i++) {
            total[i] = coefficients.t2i() * parts[0][i] + coefficients.lm() * parts[1][i] + coefficients.mmu() * parts[2][i]
                    + coefficients.r2i() * parts[3][i];
        }
        double[] ce = new double[n];
        float[] d = wantGradient ? new float[logits.length] : null;
        double sum = TokenCrossEntropy.forwardBackward(pool, logits, n, vocab, b.labels(), total, ce, d);
        double[] partLoss = new double[4];
        float[] ce32 = new float[n];
        for (int i = 0; i < n; i++) {
            ce32[i] = (float) ce[i];
            for (int p = 0; p < 4; p++) {
                partLoss[p] += parts[p][i] * ce[i];
            }
        }
        return new Result(partLoss[0], partLoss[1], partLoss[2], partLoss[3], sum, ce32, d);
    }
}
