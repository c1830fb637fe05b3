package org.mmada4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Layer normalisation with weight and bias over rows of width {@code dim}, as
 * {@code torch.nn.LayerNorm(dim, eps)} (CLIP, ViT): {@code out = (x − mean)·rstd·γ + β} with the biased
 * variance. Scalar twin: {@link NormsReference#layerNorm}.
 *
 * <p>Two passes (mean, then the variance of {@code x − mean}), as PyTorch's CPU kernel, rather than
 * {@code E[x²] − mean²}: CLIP's residual stream has rows with a large common offset, where the
 * one-pass form cancels catastrophically in fp32. Sums run in L lanes then a fixed tree, so the
 * result does not depend on how rows are split across threads.
 */
public final class LayerNorm {
    private LayerNorm() {
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    /**
     * Single-threaded over {@code rows}; callers split rows across their pool. {@code out} may be
     * {@code x}. {@code gamma} and {@code beta} hold {@code dim} values each.
     */
    public static void forward(float[] x, int xOff, float[] gamma, float[] beta, float eps, float[] out, int outOff,
                               int rows, int dim) {
        if (gamma.length < dim || beta.length < dim) {
            throw new IllegalArgumentException("layer norm weight/bias of " + gamma.length + "/" + beta.length
                    + " values, row width " + dim);
        }
        for (int r = 0; r < rows; r++) {
            int xb = xOff + r * dim;
            int ob = outOff + r * dim;
            FloatVector acc = FloatVector.zero(F);
            int i = 0;
            for (; i + L <= dim; i += L) {
                acc = acc.add(FloatVector.fromArray(F, x, xb + i));
            }
            float sum = VectorMath.sum(acc);
            for (; i < dim; i++) {
                sum += x[xb + i];
            }
            float mean = sum / dim;
            acc = FloatVector.zero(F);
            i = 0;
            for (; i + L <= dim; i += L) {
                FloatVector d = FloatVector.fromArray(F, x, xb + i).sub(mean);
                acc = d.fma(d, acc);
            }
            float ss = VectorMath.sum(acc);
            for (; i < dim; i++) {
                float d = x[xb + i] - mean;
                ss += d * d;
            }
            float rstd = (float) (1.0 / Math.sqrt(ss / dim + eps));
            i = 0;
            for (; i + L <= dim; i += L) {
                FloatVector v = FloatVector.fromArray(F, x, xb + i).sub(mean).mul(rstd);
                v.fma(FloatVector.fromArray(F, gamma, i), FloatVector.fromArray(F, beta, i)).intoArray(out, ob + i);
            }
            for (; i < dim; i++) {
                out[ob + i] = Math.fma((x[xb + i] - mean) * rstd, gamma[i], beta[i]);
            }
        }
    }

    /** {@link #forward} with rows split across the pool in chunks (for long sequences). */
    public static void forward(ComputePool pool, float[] x, float[] gamma, float[] beta, float eps, float[] out,
                               int rows, int dim) {
        int chunk = 16;
        pool.parallelFor((rows + chunk - 1) / chunk, t -> {
            int r0 = t * chunk;
            forward(x, r0 * dim, gamma, beta, eps, out, r0 * dim, Math.min(chunk, rows - r0), dim);
        });
    }
}
