package org.mmada4j.train;

import org.mmada4j.tensor.ComputePool;

/**
 * Weighted token cross-entropy over the full vocabulary and its gradient, the one loss kernel all
 * of MMaDA's objectives reduce to: every loss of {@code MMadaModelLM.forward_process} is
 * {@code Σ_i w_i · CE_i} with a per-token weight (1/count, 1/(p·B·L), 1/(p·answer_len·B)), see
 * {@link DiffusionLoss}. CE is {@code logsumexp(z) − z[label]} computed in double from fp32 logits;
 * positions whose label is −100 (ignore_index) or whose weight is 0 contribute nothing.
 *
 * <p>{@code dL/dz = w · (softmax(z) − onehot(label))}, written in place of nothing else: the
 * gradient array is fully overwritten (rows without loss get zeros).
 */
public final class TokenCrossEntropy {
    private TokenCrossEntropy() {
    }

    /**
     * @param logits  [rows, vocab]
     * @param labels  [rows], −100 = ignored
     * @param weights [rows]
     * @param ce      [rows] out, unweighted CE per token in double (0 where ignored); may be null
     * @param dLogits [rows, vocab] out, gradient of the weighted sum; may be null
     * @return {@code Σ w_i · CE_i}
     */
    public static double forwardBackward(ComputePool pool, float[] logits, int rows, int vocab, int[] labels,
                                         double[] weights, double[] ce, float[] dLogits) {
        double[] rowLoss = new double[rows];
        pool.parallelFor(rows, r -> {
            int off = r * vocab;
            int label = labels[r];
            double w = weights[r];
            if (label == TrainingSequences.IGNORE) {
                if (ce != null) {
                    ce[r] = 0;
                }
                if (dLogits != null) {
                    java.util.Arrays.fill(dLogits, off, off + vocab, 0f);
                }
                return;
            }
            if (label < 0 || label >= vocab) {
                throw new IllegalArgumentException("label " + label + " at token " + r + " outside the vocabulary [0, " + vocab + ")");
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < vocab; i++) {
                max = Math.max(max, logits[off + i]);
            }
            double sum = 0;
            for (int i = 0; i < vocab; i++) {
                sum += Math.exp(logits[off + i] - max);
            }
            double logZ = max + Math.log(sum);
            double tokenCe = logZ - logits[off + label];
            if (ce != null) {
                ce[r] = tokenCe;
            }
            rowLoss[r] = w * tokenCe;
            if (dLogits != null) {
                if (w == 0) {
                    java.util.Arrays.fill(dLogits, off, off + vocab, 0f);
                } else {
                    for (int i = 0; i < vocab; i++) {
                        dLogits[off + i] = (float) (w * Math.exp(logits[off + i] - logZ));
                    }
                    dLogits[off + label] = (float) (w * (Math.exp(logits[off + label] - logZ) - 1.0));
                }
            }
        });
        double total = 0;
        for (double v : rowLoss) {
            total += v;
        }
        return total;
    }
}
