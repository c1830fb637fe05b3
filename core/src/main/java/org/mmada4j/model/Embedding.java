package org.mmada4j.model;

import org.mmada4j.tensor.Tensor;
import org.mmada4j.tensor.VectorOps;

/** Token embedding {@code h = wte[ids]}: no scaling, no positional embedding (RoPE comes later). */
public final class Embedding {
    private Embedding() {
    }

    /**
     * Rows {@code [start, end)} of each of the {@code batch} sequences of {@code ids} ([batch, length]),
     * widened to fp32 into {@code out} ([batch, end-start, d]).
     */
    public static void forward(Tensor wte, int[] ids, int batch, int length, int start, int end, float[] out) {
        int w = end - start;
        int[] window = new int[batch * w];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(ids, b * length + start, window, b * w, w);
        }
        VectorOps.gatherRows(wte, window, out, 0);
    }

    /**
     * Backward of a full-sequence {@link #forward}: {@code dWte[ids[t]] += dX[t]} (rows of tokens
     * absent from the batch get nothing). Sequential over tokens, so repeated ids add in a fixed order.
     */
    public static void backward(int[] ids, int tokens, float[] dX, float[] dWte, int d) {
        for (int t = 0; t < tokens; t++) {
            int row = ids[t] * d;
            for (int i = 0; i < d; i++) {
                dWte[row + i] += dX[t * d + i];
            }
        }
    }
}
