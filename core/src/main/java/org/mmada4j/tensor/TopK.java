package org.mmada4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Top-k selection: the indices of the k largest values of a row, largest first; among equal values
 * the lower index comes first (a stable order, so sampling is reproducible). Values are ordered as
 * {@link Float#compare} orders them (NaN above +inf, as torch.topk puts NaN first; -0.0 below 0.0).
 * Scalar twin: {@link VectorOpsReference#topK}.
 *
 * <p>How: a k-entry min-heap of the best so far; once it is full, whole vectors whose lanes are all
 * below the heap's worst value are skipped with one compare, so a vocabulary row costs about one
 * vector pass when k is small.
 */
public final class TopK {
    private TopK() {
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    /** Indices (relative to {@code off}) of the min(k, n) largest values of {@code x[off, off+n)}. */
    public static int[] indices(float[] x, int off, int n, int k) {
        int[] out = new int[Math.max(0, Math.min(k, n))];
        indices(x, off, n, out);
        return out;
    }

    /** Fills all of {@code out} (length ≤ n) with the indices of the out.length largest values. */
    public static void indices(float[] x, int off, int n, int[] out) {
        int k = out.length;
        if (k > n || n < 0) {
            throw new IllegalArgumentException("top-" + k + " of " + n + " values");
        }
        if (k == 0) {
            return;
        }
        int[] heap = out; // min-heap on (value, -index): heap[0] is the worst kept
        int size = 0;
        int i = 0;
        for (; i < n && size < k; i++) {
            heap[size] = i;
            siftUp(x, off, heap, size++);
        }
        while (i < n) {
            if (i + L <= n) {
                float worst = x[off + heap[0]];
                if (FloatVector.fromArray(F, x, off + i).compare(VectorOperators.LT, worst).allTrue()) {
                    i += L;
                    continue;
                }
                for (int e = i + L; i < e; i++) {
                    if (better(x, off, i, heap[0])) {
                        heap[0] = i;
                        siftDown(x, off, heap, k);
                    }
                }
            } else {
                if (better(x, off, i, heap[0])) {
                    heap[0] = i;
                    siftDown(x, off, heap, k);
                }
                i++;
            }
        }
        // Heap-sort in place: repeatedly move the worst to the end, leaving best first.
        for (int end = k - 1; end > 0; end--) {
            int t = heap[0];
            heap[0] = heap[end];
            heap[end] = t;
            siftDown(x, off, heap, end);
        }
    }

    /** Whether index a ranks above index b: larger value, or equal value and lower index. */
    private static boolean better(float[] x, int off, int a, int b) {
        int c = Float.compare(x[off + a], x[off + b]);
        return c > 0 || (c == 0 && a < b);
    }

    private static void siftUp(float[] x, int off, int[] h, int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!better(x, off, h[parent], h[i])) {
                break;
            }
            int t = h[parent];
            h[parent] = h[i];
            h[i] = t;
            i = parent;
        }
    }

    private static void siftDown(float[] x, int off, int[] h, int size) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                return;
            }
            int worst = l;
            if (l + 1 < size && better(x, off, h[l], h[l + 1])) {
                worst = l + 1;
            }
            if (!better(x, off, h[i], h[worst])) {
                return;
            }
            int t = h[i];
            h[i] = h[worst];
            h[worst] = t;
            i = worst;
        }
    }
}
