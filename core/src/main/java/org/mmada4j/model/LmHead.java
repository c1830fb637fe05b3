package org.mmada4j.model;

import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.Gemm;
import org.mmada4j.tensor.PackedWeight;
import org.mmada4j.tensor.Tensor;

/**
 * Final RMSNorm and the untied output head, {@code logits = RMSNorm(h; ln_f)·Wheadᵀ}, evaluated only
 * on the rows and vocabulary columns asked for: the GEMM starts at weight row {@code vocabFrom}, so
 * an image sampler reading 8192 of 134656 columns pays for 8192.
 */
public final class LmHead {
    private LmHead() {
    }

    /**
     * @param packedHead the head packed whole, or null (used only when every column is asked for)
     * @param x        [B, W, d] residual stream after the last block
     * @param rowLo    first row of each sequence's window to project (relative to the window)
     * @param rows     rows per sequence
     * @param selected [B·rows, d] scratch: the selected rows of x (the norm's input, kept for backward)
     * @param normed   [B·rows, d] RMSNorm output
     * @param rstd     [B·rows]
     * @param logits   [B·rows, cols]
     */
    public static void forward(ComputePool pool, ModelConfig c, Tensor lnF, Tensor head, PackedWeight packedHead,
                               float[] x, int batch, int window, int rowLo, int rows, int vocabFrom, int cols,
                               float[] selected, float[] normed, float[] rstd, float[] logits) {
        int d = c.dModel();
        int r = batch * rows;
        if (r == 0 || cols == 0) {
            return;
        }
        // the requested rows of every sequence, contiguous
        for (int b = 0; b < batch; b++) {
            System.arraycopy(x, (b * window + rowLo) * d, selected, b * rows * d, rows * d);
        }
        // n = RMSNorm(h; ln_f)
        RmsNorm.forward(pool, selected, lnF, c.rmsNormEps(), normed, rstd, r, d);
        // logits = n·Wheadᵀ over vocabulary rows [vocabFrom, vocabFrom + cols)
        if (packedHead != null && vocabFrom == 0 && cols == packedHead.n()) {
            Gemm.matmulNT(pool, normed, 0, d, packedHead, logits, 0, cols, r, false);
        } else {
            Gemm.matmulNT(pool, normed, 0, d, head, vocabFrom, logits, 0, cols, r, cols, d, false);
        }
    }

    /**
     * Backward of a {@link #forward} over every row and the whole vocabulary: {@code dHead += dLogitsᵀ·n},
     * {@code dn = dLogits·Whead}, then ln_f's backward writes the stream gradient {@code dX} [T, d]
     * (overwritten).
     */
    public static void backward(ComputePool pool, ModelConfig c, Tensor lnF, Tensor head, float[] selected,
                                float[] normed, float[] rstd, int tokens, float[] dLogits, float[] dX,
                                float[] dLnF, float[] dHead) {
        int d = c.dModel();
        float[] dNormed = new float[tokens * d];
        Linear.backward(pool, normed, tokens, head, dLogits, dNormed, false, dHead);
        RmsNorm.backward(pool, selected, rstd, lnF, dNormed, dX, false, dLnF, tokens, d);
    }
}
