package org.mmada4j.score;

import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.LayerNorm;

/** {@code nn.LayerNorm(dim, eps)} with its weight and bias. */
record ClipLayerNorm(float[] weight, float[] bias, float eps) {
    void forward(ComputePool pool, float[] x, float[] out, int rows) {
        LayerNorm.forward(pool, x, weight, bias, eps, out, rows, weight.length);
    }
}
