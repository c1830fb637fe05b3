package org.mmada4j.sample;

/**
 * The per-position decision of the text samplers: the predicted token x0 and its confidence, from one
 * row of logits ({@code generate.py}: {@code add_gumbel_noise}, argmax, float64 softmax).
 */
final class TokenPredictions {
    private TokenPredictions() {
    }

    /** CFG mix in fp32 as the reference's tensor ops: {@code un + (w+1)·(cond − un)}. */
    static void mixCfg(float[] cond, float[] uncond, int n, double w, float[] out) {
        float s = (float) (w + 1);
        for (int i = 0; i < n; i++) {
            float u = uncond[i];
            out[i] = u + s * (cond[i] - u);
        }
    }

    /**
     * x0 = argmax of {@code logits[off, off+v)}; with temperature τ &gt; 0 of {@code exp(l)/(−ln u)^τ} in float64
     * (≡ Gumbel-max with noise τ·g), {@code uniforms[uOff, uOff+v)} the draws. First index on ties (torch.argmax).
     */
    static int argmax(float[] logits, int off, int v, double temperature, double[] uniforms, int uOff) {
        int best = 0;
        if (temperature == 0) {
            float bv = logits[off];
            for (int i = 1; i < v; i++) {
                if (logits[off + i] > bv) {
                    bv = logits[off + i];
                    best = i;
                }
            }
            return best;
        }
        double bv = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < v; i++) {
            double g = Math.pow(-Math.log(uniforms[uOff + i]), temperature);
            double s = Math.exp(logits[off + i]) / g;
            if (s > bv) {
                bv = s;
                best = i;
            }
        }
        return best;
    }

    /** {@code softmax(logits.to(float64))[token]}. */
    static double probability(float[] logits, int off, int v, int token) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < v; i++) {
            max = Math.max(max, logits[off + i]);
        }
        double sum = 0;
        for (int i = 0; i < v; i++) {
            sum += Math.exp(logits[off + i] - max);
        }
        return Math.exp(logits[off + token] - max) / sum;
    }

    /**
     * Indices of the {@code k} largest {@code conf[0, n)} (finite or not); ties go to the lower index.
     * {@code torch.topk} leaves tie order unspecified; fp64 confidences make ties practically absent.
     */
    static int[] topK(double[] conf, int n, int k) {
        int[] idx = new int[k];
        boolean[] taken = new boolean[n];
        for (int j = 0; j < k; j++) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (!taken[i] && (best < 0 || conf[i] > conf[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            idx[j] = best;
        }
        return idx;
    }

    /**
     * Per row, the tokens to commit at each of the block's {@code stepsPerBlock} steps: the masked
     * positions of {@code x[b][blockStart, blockEnd)} spread by {@link #transferCounts}.
     */
    static int[][] blockTransferCounts(int[][] x, int blockStart, int blockEnd, int maskId, int stepsPerBlock) {
        int[][] k = new int[x.length][];
        for (int b = 0; b < x.length; b++) {
            int n = 0;
            for (int t = blockStart; t < blockEnd; t++) {
                n += x[b][t] == maskId ? 1 : 0;
            }
            k[b] = transferCounts(n, stepsPerBlock);
        }
        return k;
    }

    /** {@code get_num_transfer_tokens}: n split over s steps, the first n mod s steps one more. */
    static int[] transferCounts(int masked, int steps) {
        int[] k = new int[steps];
        int base = masked / steps;
        int rem = masked % steps;
        for (int s = 0; s < steps; s++) {
            k[s] = base + (s < rem ? 1 : 0);
        }
        return k;
    }
}
