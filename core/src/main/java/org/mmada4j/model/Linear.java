package org.mmada4j.model;

import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.Gemm;
import org.mmada4j.tensor.PackedWeight;
import org.mmada4j.tensor.Tensor;

/** A bias-free linear layer {@code y (+)= x·Wᵀ} with W stored {@code [out, in]} as nn.Linear. */
public final class Linear {
    private Linear() {
    }

    /**
     * @param x          [rows, in]
     * @param weight     [out, in], F32/BF16/F16, read in place
     * @param y          [rows, out]
     * @param accumulate add into y (residual connections) instead of overwriting it
     */
    public static void forward(ComputePool pool, float[] x, int rows, Tensor weight, float[] y, boolean accumulate) {
        int out = (int) weight.dim(0);
        int in = (int) weight.dim(1);
        Gemm.matmulNT(pool, x, 0, in, weight, 0, y, 0, out, rows, out, in, accumulate);
    }

    /** {@link #forward} through the weight's packed copy when there is one (same numbers, less work). */
    public static void forward(ComputePool pool, float[] x, int rows, Tensor weight, PackedWeight packed, float[] y,
                               boolean accumulate) {
        if (packed == null) {
            forward(pool, x, rows, weight, y, accumulate);
        } else {
            Gemm.matmulNT(pool, x, 0, packed.k(), packed, y, 0, packed.n(), rows, accumulate);
        }
    }

    /**
     * Backward of {@link #forward}: {@code dW += dyᵀ·x} (TN GEMM) and, when {@code dx} is non-null,
     * {@code dx (+)= dy·W} (NN GEMM).
     *
     * @param dy      [rows, out]
     * @param dx      [rows, in] or null
     * @param dWeight [out, in], added to
     */
    public static void backward(ComputePool pool, float[] x, int rows, Tensor weight, float[] dy,
                                float[] dx, boolean accumulateDx, float[] dWeight) {
        int out = (int) weight.dim(0);
        int in = (int) weight.dim(1);
        Gemm.matmulTN(pool, dy, 0, out, x, 0, in, dWeight, 0, in, out, in, rows, true);
        if (dx != null) {
            Gemm.matmulNN(pool, dy, 0, out, weight, 0, dx, 0, in, rows, in, out, accumulateDx);
        }
    }
}
