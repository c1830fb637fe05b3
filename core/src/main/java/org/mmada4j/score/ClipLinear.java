package org.mmada4j.score;

import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.Gemm;
import org.mmada4j.tensor.Tensor;
import org.mmada4j.tensor.VectorOps;

/**
 * {@code nn.Linear}: {@code y (+)= x·Wᵀ + b} with W {@code [out, in]} read in place from the mapped
 * checkpoint (F32, BF16 or F16; the GEMM widens while packing) and an optional fp32 bias.
 */
record ClipLinear(Tensor weight, float[] bias) {
    int out() {
        return (int) weight.dim(0);
    }

    int in() {
        return (int) weight.dim(1);
    }

    /** @param accumulate add into y (a residual connection) instead of overwriting it */
    void forward(ComputePool pool, float[] x, int rows, float[] y, boolean accumulate) {
        int out = out();
        Gemm.matmulNT(pool, x, 0, in(), weight, 0, y, 0, out, rows, out, in(), accumulate);
        if (bias != null) {
            for (int r = 0; r < rows; r++) {
                VectorOps.addInPlace(y, r * out, bias, 0, out);
            }
        }
    }
}
