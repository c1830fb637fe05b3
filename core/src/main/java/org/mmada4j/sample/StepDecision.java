package org.mmada4j.sample;

/**
 * One text-sampler step's decision over the logits of positions [lo, be) of every row: predict x0 and its
 * confidence at each masked position ({@code generate.py}), then commit either the top-k per row (exact
 * schedule) or every position whose confidence reaches a threshold, at least the most confident one
 * (Fast-dLLM's parallel decoding).
 */
final class StepDecision {
    private StepDecision() {
    }

    /**
     * @param logits    [rowsInBatch][be−lo][vocab]; with CFG the first B rows are cond, the next B uncond
     * @param k         per row the number of tokens to commit; null for threshold decoding
     * @param threshold confidence threshold τ of threshold decoding (used when {@code k} is null)
     * @return tokens committed over the batch
     */
    static int commit(int[][] x, float[] logits, boolean cfg, int lo, int be, int vocab, int maskId, int[] k,
                      double threshold, TextSamplingParams p, SamplingRandom rnd) {
        int bsz = x.length;
        int rows = be - lo;
        float[] mixed = cfg ? new float[vocab] : null;
        float[] cond = cfg ? new float[vocab] : null;
        float[] un = cfg ? new float[vocab] : null;
        double[] uniforms = p.temperature() > 0 ? new double[vocab] : null;
        double[] rand = p.remasking() == Remasking.RANDOM && k != null ? new double[rows] : null;
        double[] conf = new double[rows];
        int[] x0 = new int[rows];
        int committed = 0;
        for (int b = 0; b < bsz; b++) {
            if (rand != null) {
                rnd.uniform(rand);
            }
            for (int i = 0; i < rows; i++) {
                int t = lo + i;
                conf[i] = Double.NEGATIVE_INFINITY;
                if (x[b][t] != maskId) {
                    continue;
                }
                float[] row = logits;
                int off = (b * rows + i) * vocab;
                if (cfg) {
                    System.arraycopy(logits, off, cond, 0, vocab);
                    System.arraycopy(logits, ((bsz + b) * rows + i) * vocab, un, 0, vocab);
                    TokenPredictions.mixCfg(cond, un, vocab, p.cfgScale(), mixed);
                    row = mixed;
                    off = 0;
                }
                if (uniforms != null) {
                    rnd.uniform(uniforms);
                }
                x0[i] = TokenPredictions.argmax(row, off, vocab, p.temperature(), uniforms, 0);
                conf[i] = rand != null ? rand[i] : TokenPredictions.probability(row, off, vocab, x0[i]);
            }
            if (k != null) {
                for (int i : TokenPredictions.topK(conf, rows, k[b])) {
                    if (conf[i] != Double.NEGATIVE_INFINITY) {
                        x[b][lo + i] = x0[i];
                        committed++;
                    }
                }
            } else {
                int best = -1;
                int before = committed;
                for (int i = 0; i < rows; i++) {
                    if (conf[i] == Double.NEGATIVE_INFINITY) {
                        continue;
                    }
                    if (best < 0 || conf[i] > conf[best]) {
                        best = i;
                    }
                    if (conf[i] >= threshold) {
                        x[b][lo + i] = x0[i];
                        committed++;
                    }
                }
                if (committed == before && best >= 0) {
                    x[b][lo + best] = x0[best];
                    committed++;
                }
            }
        }
        return committed;
    }
}
