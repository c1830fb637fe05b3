package org.mmada4j.score;

import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.Gemm;
import org.mmada4j.tensor.PackedWeight;
import org.mmada4j.tensor.Tensor;
import org.mmada4j.tensor.VectorOps;

/**
 * {@code nn.Linear}: {@code y (+)= x·Wᵀ + b} with W {@code [out, in]} read in place from the mapped
 * checkpoint (F32, BF16 or F16; the GEMM widens while packing) and an optional fp32 bias. With
 * {@code packed} (non-null) the GEMM reads the weight's fp32 copy in its panel layout instead: no
 * per-call packing, which at CLIP's few rows (50 tokens for ViT-B/32) is a large share of the time.
 */
record ClipLinear(Tensor weight, PackedWeight packed, float[] bias) {
    int out() {
        return (int) weight.dim(0);
    }

    int in() {
        return (int) weight.dim(1);
    }

    /** @param accumulate add into y (a residual connection) instead of overwriting it */
    void forward(ComputePool pool, float[] x, int rows, float[] y, boolean accumulate) {
        int out = out();
        if (packed != null) {
            Gemm.matmulNT(pool, x, 0, in(), packed, y, 0, out, rows, accumulate);
        } else {
            Gemm.matmulNT(pool, x, 0, in(), weight, 0, y, 0, out, rows, out, in(), accumulate);
        }
        if (bias != null) {
            for (int r = 0; r < rows; r++) {
                VectorOps.addInPlace(y, r * out, bias, 0, out);
            }
        }
    }
}
