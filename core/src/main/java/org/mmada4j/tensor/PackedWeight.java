package org.mmada4j.tensor;

import static org.mmada4j.tensor.GemmKernel.NR;

/**
 * A weight [n, k] packed once into {@link Gemm}'s fp32 panel layout, for
 * {@link Gemm#matmulNT(ComputePool, float[], int, int, PackedWeight, float[], int, int, int, boolean)}.
 *
 * <p>Why: {@link Gemm#matmulNT(ComputePool, float[], int, int, Tensor, long, float[], int, int, int, int, int, boolean)}
 * transposes and widens every B block it uses on every call, which costs a few percent at the model's
 * shapes (~4 % measured by the anchor, ~93 % → ~97 % of peak). A model that runs the same weight many
 * times (every denoising step) can pack it at load time instead. The cost is memory: the packed copy
 * is fp32 on the heap (2× the bytes of a bf16 weight, plus up to NR−1 zero columns), so it suits
 * models whose fp32 weights fit in RAM, not the 8B checkpoint. Results are bit-identical to the
 * unpacked call (same K blocking, same kernel).
 *
 * <p>Layout: for each K block starting at p0 (length kb, {@link Gemm#blockK}), the panels of NR
 * columns one after the other from {@code p0 · nPad}; inside a panel, step p then column.
 */
public final class PackedWeight {
    private final float[] data;
    private final int n;
    private final int k;

    private PackedWeight(float[] data, int n, int k) {
        this.data = data;
        this.n = n;
        this.k = k;
    }

    /** Packs a whole weight [n, k]. */
    public static PackedWeight pack(ComputePool pool, Tensor weight) {
        return pack(pool, weight, 0, weight.rank() == 0 ? 0 : Math.toIntExact(weight.size() / weight.dim(-1)));
    }

    /** Packs rows [row0, row0 + n) of a weight [N, k] (for instance the image slice of a vocabulary head). */
    public static PackedWeight pack(ComputePool pool, Tensor weight, long row0, int n) {
        if (!weight.dtype().isComputeStorage() || weight.rank() < 2) {
            throw new IllegalArgumentException("cannot pack weight " + weight + ": needs rank >= 2 and F32, BF16 or F16");
        }
        int k = Math.toIntExact(weight.dim(-1));
        long rows = weight.size() / Math.max(1, k);
        if (row0 < 0 || n < 0 || row0 + n > rows) {
            throw new IllegalArgumentException("cannot pack rows [" + row0 + ", " + (row0 + n) + ") of weight " + weight);
        }
        int nPanels = (n + NR - 1) / NR;
        long size = (long) nPanels * NR * k;
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("weight " + weight + " too large to pack (" + size + " floats)");
        }
        float[] data = new float[(int) size];
        if (k == 0 || n == 0) {
            return new PackedWeight(data, n, k);
        }
        int kc = Gemm.blockK(k);
        int kBlocks = (k + kc - 1) / kc;
        int panelsPerTask = 8;
        int groups = (nPanels + panelsPerTask - 1) / panelsPerTask;
        int nPad = nPanels * NR;
        pool.parallelFor(kBlocks * groups, t -> {
            int p0 = (t / groups) * kc;
            int kb = Math.min(kc, k - p0);
            int q0 = (t % groups) * panelsPerTask;
            int q1 = Math.min(nPanels, q0 + panelsPerTask);
            int j0 = q0 * NR;
            int cols = Math.min(n, q1 * NR) - j0;
            GemmPacking.packBT(weight, row0, j0, cols, p0, kb, data, p0 * nPad + q0 * kb * NR);
        });
        return new PackedWeight(data, n, k);
    }

    /** Output columns (rows of the original weight). */
    public int n() {
        return n;
    }

    /** Reduced dimension (columns of the original weight). */
    public int k() {
        return k;
    }

    float[] data() {
        return data;
    }

    /** Heap bytes held. */
    public long bytes() {
        return 4L * data.length;
    }
}
