package org.mmada4j.tensor;

/** Scalar twins of {@link VectorOps} and {@link TopK}: the test oracles, never used on hot paths. */
public final class VectorOpsReference {
    private VectorOpsReference() {
    }

    /** {@code out[i] = silu(gate[i]) · up[i]} for i in [0, n): the SwiGLU activation. */
    public static void siluMul(float[] gate, int gateOff, float[] up, int upOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            float g = gate[gateOff + i];
            out[outOff + i] = (g / (1f + (float) Math.exp(-g))) * up[upOff + i];
        }
    }

    /** {@code y[i] += x[i]} (residual connections). */
    public static void addInPlace(float[] y, int yOff, float[] x, int xOff, int n) {
        for (int i = 0; i < n; i++) {
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
            table.copyTo((long) ids[t] * dim, out, outOff + t * dim, dim);
        }
    }

    /** Index of the largest value in {@code x[off, off+n)}; the first one on ties (as torch.argmax). */
    public static int argmax(float[] x, int off, int n) {
        int best = 0;
        float bestV = x[off];
        for (int i = 1; i < n; i++) {
            if (x[off + i] > bestV) {
                bestV = x[off + i];
                best = i;
            }
        }
        return best;
    }

    /** In-place softmax of {@code x[off, off+n)} in fp32 (max-subtracted). */
    public static void softmax(float[] x, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int i = 0; i < n; i++) {
            x[off + i] *= inv;
        }
    }

    /**
     * Indices of the k largest values of {@code x[off, off+n)}, largest first, the lower index first
     * among equal values; order of {@link Float#compare} (NaN above +inf, as torch.topk puts NaN first).
     */
    public static int[] topK(float[] x, int off, int n, int k) {
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        // Arrays.sort on objects is stable: equal values keep increasing index order.
        java.util.Arrays.sort(idx, (p, q) -> Float.compare(x[off + q], x[off + p]));
        int[] out = new int[Math.min(k, n)];
        for (int i = 0; i < out.length; i++) {
            out[i] = idx[i];
        }
        return out;
    }
}
