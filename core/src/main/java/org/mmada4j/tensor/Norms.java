package org.mmada4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Normalisation kernels (Vector API); scalar twin {@link NormsReference}. */
public final class Norms {
    private Norms() {
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    /**
     * RMSNorm over rows of width {@code dim}: {@code out = x / sqrt(mean(x²) + eps) · weight}, as
     * LLaDA's RMSLayerNorm (no bias, no 1+weight). Writes {@code 1/sqrt(mean(x²)+eps)} per row into
     * {@code rstd} when it is non-null (for the backward pass). The weight may be F32, BF16 or F16.
     * Single-threaded: callers split rows across their pool. {@code out} may be {@code x}.
     */
    public static void rmsNorm(float[] x, int xOff, Tensor weight, float eps, float[] out, int outOff,
                               int rows, int dim, float[] rstd) {
        if (weight.size() < dim) {
            throw new IllegalArgumentException("RMSNorm weight " + weight + " shorter than the row width " + dim);
        }
        float[] w = widened(weight, dim);
        for (int r = 0; r < rows; r++) {
            int xb = xOff + r * dim;
            float ss = VectorMath.sumSquares(x, xb, dim);
            float inv = (float) (1.0 / Math.sqrt(ss / dim + eps));
            if (rstd != null) {
                rstd[r] = inv;
            }
            int ob = outOff + r * dim;
            int i = 0;
            for (; i + L <= dim; i += L) {
                FloatVector v = FloatVector.fromArray(F, x, xb + i).mul(inv).mul(FloatVector.fromArray(F, w, i));
                v.intoArray(out, ob + i);
            }
            for (; i < dim; i++) {
                out[ob + i] = (x[xb + i] * inv) * w[i];
            }
        }
    }

    /** The weight as fp32: the F32 heap array itself when it is one, else a widened copy. */
    private static float[] widened(Tensor weight, int dim) {
        if (weight.dtype() == DType.F32 && weight.data().isNative() == false
                && weight.data().heapBase().orElse(null) instanceof float[] arr
                && weight.data().address() == 0 && arr.length >= dim) {
            return arr;
        }
        float[] w = new float[dim];
        weight.copyTo(0, w, 0, dim);
        return w;
    }
}
