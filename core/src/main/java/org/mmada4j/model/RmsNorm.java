package org.mmada4j.model;

import org.mmada4j.tensor.NormsBackward;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.Norms;
import org.mmada4j.tensor.Tensor;

/**
 * LLaDA's RMSLayerNorm (modeling_llada.py {@code RMSLayerNorm.forward}): in fp32,
 * {@code y = x · rsqrt(mean(x²) + eps) · weight} per row; no bias, no "1 + weight".
 * The forward keeps {@code rstd} per row for the backward pass.
 */
public final class RmsNorm {
    private RmsNorm() {
    }

    /**
     * @param x      [rows, dim] input
     * @param weight [dim]
     * @param out    [rows, dim] output (may not alias x)
     * @param rstd   [rows] 1/sqrt(mean(x²)+eps) per row, or null when not needed
     */
    public static void forward(ComputePool pool, float[] x, Tensor weight, float eps, float[] out, float[] rstd,
                               int rows, int dim) {
        RowChunks.run(pool, rows, (from, to) -> {
            float[] part = rstd == null ? null : new float[to - from];
            Norms.rmsNorm(x, from * dim, weight, eps, out, from * dim, to - from, dim, part);
            if (part != null) {
                System.arraycopy(part, 0, rstd, from, to - from);
            }
        });
    }

    /**
     * Backward of {@link #forward} from its input and rstd: {@code dWeight += Σ dy ⊙ x̂},
     * {@code dx (+)= r·(dy⊙w − x̂·mean(dy⊙w⊙x̂))}.
     */
    public static void backward(ComputePool pool, float[] x, float[] rstd, Tensor weight, float[] dy, float[] dx,
                                boolean accumulateDx, float[] dWeight, int rows, int dim) {
        NormsBackward.rmsNorm(pool, x, rstd, weight, dy, dx, accumulateDx, dWeight, rows, dim);
    }
}
