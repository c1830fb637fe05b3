package org.mmada4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise and reduction kernels over fp32 arrays (Vector API); scalar twins in
 * {@link VectorOpsReference}. Single-threaded: callers split rows across their pool.
 *
 * <p>{@code exp} is {@link VectorMath#exp} (about 1 ulp from {@link Math#exp}, the same bits however the
 * code is compiled); sums are taken in L lanes then reduced in a fixed order.
 */
public final class VectorOps {
    private VectorOps() {
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    /** {@code out[i] = silu(gate[i]) · up[i]} for i in [0, n): the SwiGLU activation. */
    public static void siluMul(float[] gate, int gateOff, float[] up, int upOff, float[] out, int outOff, int n) {
        // out = exp(-gate) first (the exp kernel works on arrays), then gate / (1 + out) · up.
        VectorMath.expAffine(gate, gateOff, out, outOff, n, -1f, 0f);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector g = FloatVector.fromArray(F, gate, gateOff + i);
            FloatVector u = FloatVector.fromArray(F, up, upOff + i);
            FloatVector e = FloatVector.fromArray(F, out, outOff + i);
            g.div(e.add(1f)).mul(u).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            float g = gate[gateOff + i];
            out[outOff + i] = (g / (1f + out[outOff + i])) * up[upOff + i];
        }
    }

    /** {@code y[i] += x[i]} (residual connections). */
    public static void addInPlace(float[] y, int yOff, float[] x, int xOff, int n) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(F, y, yOff + i).add(FloatVector.fromArray(F, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += x[xOff + i];
        }
    }

    /** Copies rows of an embedding table: {@code out[t] = table[ids[t]]}, widened to fp32. */
    public static void gatherRows(Tensor table, int[] ids, float[] out, int outOff) {
        int dim = (int) table.dim(-1);
        long rows = table.dim(0);
        for (int t = 0; t < ids.length; t++) {
            if (ids[t] < 0 || ids[t] >= rows) {
                throw new IllegalArgumentException("token id " + ids[t] + " at position " + t
                        + " outside the embedding table [0, " + rows + ")");
            }
        }
        for (int t = 0; t < ids.length; t++) {
            long src = (long) ids[t] * dim;
            int dst = outOff + t * dim;
            if (table.dtype() == DType.F32) {
                table.copyTo(src, out, dst, dim);
                continue;
            }
            int i = 0;
            for (; i + L <= dim; i += L) {
                GemmPacking.widen(table.data(), table.dtype(), src + i, L, out, dst + i);
            }
            if (i < dim) {
                table.copyTo(src + i, out, dst + i, dim - i);
            }
        }
    }

    /**
     * Index of the largest value in {@code x[off, off+n)}; the first one on ties (as torch.argmax).
     * NaNs are skipped unless x[off] is one (then 0, as the scalar twin).
     */
    public static int argmax(float[] x, int off, int n) {
        if (n < 2 * L || Float.isNaN(x[off])) {
            return VectorOpsReference.argmax(x, off, n);
        }
        FloatVector best = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i + L <= n; i += L) {
            // max() would propagate NaN; blend keeps the old lane where the new value is not larger.
            FloatVector v = FloatVector.fromArray(F, x, off + i);
            best = best.blend(v, v.compare(VectorOperators.GT, best));
        }
        float max = best.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            if (x[off + i] > max) {
                max = x[off + i];
            }
        }
        // First index holding the maximum.
        int j = 0;
        for (; j + L <= n; j += L) {
            VectorMask<Float> eq = FloatVector.fromArray(F, x, off + j).compare(VectorOperators.EQ, max);
            if (eq.anyTrue()) {
                return j + eq.firstTrue();
            }
        }
        for (; j < n; j++) {
            if (x[off + j] == max) {
                return j;
            }
        }
        return 0;
    }

    /** In-place softmax of {@code x[off, off+n)} in fp32 (max-subtracted). */
    public static void softmax(float[] x, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        int i = 0;
        if (n >= L) {
            FloatVector m = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            for (; i + L <= n; i += L) {
                m = m.max(FloatVector.fromArray(F, x, off + i));
            }
            max = m.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        float sum = VectorMath.expAffine(x, off, x, off, n, 1f, -max);
        float inv = 1f / sum;
        i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(F, x, off + i).mul(inv).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] *= inv;
        }
    }
}
