package org.mmada4j.tensor;

import static org.mmada4j.tensor.GemmKernel.MR;
import static org.mmada4j.tensor.GemmKernel.NR;

/**
 * Matrix products, the engine of the engine. All matrices are row-major; {@code ld*} are row strides
 * in elements. Legend: m rows of the output, n columns, k the reduced dimension.
 *
 * <ul>
 *   <li>{@link #matmulNT}: {@code C[m,n] (+)= A[m,k] · B[n,k]ᵀ} — a linear layer, B = weight [out, in]
 *       stored F32, BF16 or F16 (widened while packing);</li>
 *   <li>{@link #matmulNN}: {@code C[m,n] (+)= A[m,k] · B[k,n]} — input gradient {@code dX = dY · W};</li>
 *   <li>{@link #matmulTN}: {@code C[m,n] (+)= A[k,m]ᵀ · B[k,n]} — weight gradient {@code dW = dYᵀ · X}.</li>
 * </ul>
 * B tensors are addressed from row {@code bRow0} with row stride {@code B.dim(-1)}, so a slice of a
 * weight's rows (e.g. the image part of the vocabulary) needs no copy.
 *
 * <p>How (BLIS-style, roles of A and B swapped so that a 4-row A panel lives in L1 and a block of B
 * panels in L2): A is packed once per call into 4-row panels; the output columns are cut into blocks
 * of B panels sized for L2, one pool task per block (and per row chunk when there are few blocks);
 * each task packs its B block per K block — widening bf16/f16 once — and runs {@link GemmKernel} over
 * every (A panel, B panel) pair. K is cut into blocks of at most {@code mmada4j.gemm.kc} (default
 * 1024) chosen from k alone: that, and the fixed summation order inside the micro-kernel, make the
 * result bit-identical for any thread count and any task partition. {@link PackedWeight} skips the
 * per-call packing of B for weights used many times.
 *
 * <p>Knobs (system properties, read once): {@code mmada4j.gemm.kc} (K block, default 1024),
 * {@code mmada4j.gemm.l2} (bytes of packed B per block, default 393216).
 */
public final class Gemm {
    private Gemm() {
    }

    static final int KC_MAX = Math.max(16, Integer.getInteger("mmada4j.gemm.kc", 1024));
    static final int L2_BYTES = Math.max(NR * 4 * 16, Integer.getInteger("mmada4j.gemm.l2", 384 * 1024));
    /** Below this many multiply-adds, packing costs more than it saves: plain loops. */
    static final long TINY = 4096;

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][]);

    public static void matmulNT(ComputePool pool, float[] a, int aOff, int lda, Tensor b, long bRow0,
                                float[] c, int cOff, int ldc, int m, int n, int k, boolean accumulate) {
        checkA(a, aOff, lda, m, k, false);
        checkC(c, cOff, ldc, m, n);
        checkB(b, bRow0, n, k, "matmulNT");
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || (long) m * n * k < TINY) {
            tinyNT(a, aOff, lda, b, bRow0, c, cOff, ldc, m, n, k, accumulate);
            return;
        }
        run(pool, a, aOff, lda, false, (j0, cols, p0, kb, dst) -> GemmPacking.packBT(b, bRow0, j0, cols, p0, kb, dst, 0),
                null, c, cOff, ldc, m, n, k, accumulate);
    }

    /** {@code C[m, w.n()] (+)= A[m, w.k()] · Wᵀ} with a weight packed once ({@link PackedWeight}). */
    public static void matmulNT(ComputePool pool, float[] a, int aOff, int lda, PackedWeight w,
                                float[] c, int cOff, int ldc, int m, boolean accumulate) {
        int n = w.n();
        int k = w.k();
        checkA(a, aOff, lda, m, k, false);
        checkC(c, cOff, ldc, m, n);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            tinyNT(a, aOff, lda, null, 0, c, cOff, ldc, m, n, 0, accumulate);
            return;
        }
        run(pool, a, aOff, lda, false, null, w, c, cOff, ldc, m, n, k, accumulate);
    }

    public static void matmulNN(ComputePool pool, float[] a, int aOff, int lda, Tensor b, long bRow0,
                                float[] c, int cOff, int ldc, int m, int n, int k, boolean accumulate) {
        checkA(a, aOff, lda, m, k, false);
        checkC(c, cOff, ldc, m, n);
        checkB(b, bRow0, k, n, "matmulNN");
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || (long) m * n * k < TINY) {
            long ldb = b.dim(-1);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float s = 0f;
                    for (int p = 0; p < k; p++) {
                        s += a[aOff + i * lda + p] * b.getFloat((bRow0 + p) * ldb + j);
                    }
                    put(c, cOff + i * ldc + j, s, accumulate);
                }
            }
            return;
        }
        run(pool, a, aOff, lda, false, (j0, cols, p0, kb, dst) -> GemmPacking.packBN(b, bRow0, j0, cols, p0, kb, dst, 0),
                null, c, cOff, ldc, m, n, k, accumulate);
    }

    public static void matmulTN(ComputePool pool, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float[] c, int cOff, int ldc, int m, int n, int k, boolean accumulate) {
        checkA(a, aOff, lda, m, k, true);
        checkC(c, cOff, ldc, m, n);
        if (k > 0 && n > 0 && (bOff < 0 || ldb < n || bOff + (long) (k - 1) * ldb + n > b.length)) {
            throw new IllegalArgumentException("matmulTN: B of " + b.length + " floats cannot hold [" + k + ", " + n
                    + "] at offset " + bOff + " with row stride " + ldb);
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || (long) m * n * k < TINY) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float s = 0f;
                    for (int p = 0; p < k; p++) {
                        s += a[aOff + p * lda + i] * b[bOff + p * ldb + j];
                    }
                    put(c, cOff + i * ldc + j, s, accumulate);
                }
            }
            return;
        }
        run(pool, a, aOff, lda, true, (j0, cols, p0, kb, dst) -> GemmPacking.packBN(b, bOff, ldb, j0, cols, p0, kb, dst, 0),
                null, c, cOff, ldc, m, n, k, accumulate);
    }

    // ---------------------------------------------------------------- the blocked driver

    /** Packs columns [j0, j0+cols) × steps [p0, p0+kb) of B into panels at {@code dst[0..]}. */
    interface BPacker {
        void pack(int j0, int cols, int p0, int kb, float[] dst);
    }

    /** The K block for a reduction of length k: at most KC_MAX, blocks as equal as possible. */
    static int blockK(int k) {
        int blocks = (k + KC_MAX - 1) / KC_MAX;
        return (k + blocks - 1) / blocks;
    }

    private static void run(ComputePool pool, float[] a, int aOff, int lda, boolean aTransposed, BPacker packer,
                            PackedWeight packed, float[] c, int cOff, int ldc, int m, int n, int k, boolean accumulate) {
        int kc = blockK(k);
        int kBlocks = (k + kc - 1) / kc;
        int mp = GemmPacking.roundUp(m, MR);
        float[] ap = scratch(0, (long) mp * k);

        // A, packed once: block starting at p0 holds panels of MR rows × kb steps from p0·mp.
        int rowChunk = 64;
        int rowChunks = (m + rowChunk - 1) / rowChunk;
        pool.parallelFor(kBlocks * rowChunks, t -> {
            int p0 = (t / rowChunks) * kc;
            int kb = Math.min(kc, k - p0);
            int i0 = (t % rowChunks) * rowChunk;
            GemmPacking.packA(a, aOff, lda, aTransposed, i0, Math.min(rowChunk, m - i0), p0, kb, ap, p0 * mp + i0 * kb);
        });

        // Column blocks of B panels sized for L2, an even number of them so two threads share evenly.
        int nPanels = (n + NR - 1) / NR;
        int maxPanels = Math.max(1, L2_BYTES / (kc * NR * 4));
        int nBlocks = (nPanels + maxPanels - 1) / maxPanels;
        if (nBlocks > 1 && nBlocks % 2 == 1 && nBlocks < nPanels) {
            nBlocks++;
        }
        // Few column blocks and many rows: cut the rows too (multiples of MR).
        int mChunks = 1;
        if (nBlocks < 4 && m >= 2 * 64) {
            mChunks = Math.min(mp / 64, (8 + nBlocks - 1) / nBlocks);
        }
        int rowsPerChunk = GemmPacking.roundUp((mp + mChunks - 1) / mChunks, MR);
        int blocks = nBlocks;
        int panelsMax = (nPanels + nBlocks - 1) / nBlocks;
        int nPad = nPanels * NR;
        pool.parallelFor(nBlocks * mChunks, t -> {
            int nb = t % blocks;
            int q0 = (int) ((long) nb * nPanels / blocks);
            int q1 = (int) ((long) (nb + 1) * nPanels / blocks);
            int j0 = q0 * NR;
            int cols = Math.min(n, q1 * NR) - j0;
            int r0 = (t / blocks) * rowsPerChunk;
            int r1 = Math.min(m, r0 + rowsPerChunk);
            float[] bp = packed != null ? packed.data() : scratch(1, (long) panelsMax * NR * kc);
            float[] edge = new float[MR * NR];
            for (int p0 = 0; p0 < k; p0 += kc) {
                int kb = Math.min(kc, k - p0);
                int bo;
                if (packed != null) {
                    bo = p0 * nPad + q0 * kb * NR;
                } else {
                    packer.pack(j0, cols, p0, kb, bp);
                    bo = 0;
                }
                boolean add = accumulate || p0 > 0;
                for (int i = r0; i < r1; i += MR) {
                    int rows = Math.min(MR, m - i);
                    int ao = p0 * mp + i * kb;
                    int co = cOff + i * ldc + j0;
                    for (int q = 0; q < q1 - q0; q++) {
                        GemmKernel.tile(kb, ap, ao, bp, bo + q * kb * NR, c, co + q * NR, ldc,
                                rows, Math.min(NR, cols - q * NR), add, edge);
                    }
                }
            }
        });
    }

    /** Per-thread scratch buffer {@code slot} (0: packed A of the caller, 1: packed B of a task). */
    private static float[] scratch(int slot, long size) {
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("GEMM operand of " + size + " floats does not fit a packing buffer");
        }
        float[][] s = SCRATCH.get();
        if (s[slot] == null || s[slot].length < size) {
            s[slot] = new float[(int) Math.max(size, s[slot] == null ? 0 : s[slot].length * 5L / 4)];
        }
        return s[slot];
    }

    // ---------------------------------------------------------------- tiny shapes and checks

    private static void tinyNT(float[] a, int aOff, int lda, Tensor b, long bRow0,
                               float[] c, int cOff, int ldc, int m, int n, int k, boolean accumulate) {
        long ldb = k == 0 ? 0 : b.dim(-1);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                long bb = (bRow0 + j) * ldb;
                for (int p = 0; p < k; p++) {
                    s += a[aOff + i * lda + p] * b.getFloat(bb + p);
                }
                put(c, cOff + i * ldc + j, s, accumulate);
            }
        }
    }

    private static void put(float[] c, int i, float s, boolean accumulate) {
        c[i] = accumulate ? c[i] + s : s;
    }

    private static void checkA(float[] a, int aOff, int lda, int m, int k, boolean transposed) {
        if (m < 0 || k < 0) {
            throw new IllegalArgumentException("negative GEMM size m=" + m + " k=" + k);
        }
        int rows = transposed ? k : m;
        int cols = transposed ? m : k;
        if (rows > 0 && cols > 0 && (aOff < 0 || lda < cols || aOff + (long) (rows - 1) * lda + cols > a.length)) {
            throw new IllegalArgumentException("GEMM: A of " + a.length + " floats cannot hold [" + rows + ", " + cols
                    + "] at offset " + aOff + " with row stride " + lda);
        }
    }

    private static void checkC(float[] c, int cOff, int ldc, int m, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative GEMM size n=" + n);
        }
        if (m > 0 && n > 0 && (cOff < 0 || ldc < n || cOff + (long) (m - 1) * ldc + n > c.length)) {
            throw new IllegalArgumentException("GEMM: C of " + c.length + " floats cannot hold [" + m + ", " + n
                    + "] at offset " + cOff + " with row stride " + ldc);
        }
    }

    /** B tensor read as [rows, ld]: needs rows [row0, row0+rows) and the first {@code cols} columns. */
    private static void checkB(Tensor b, long row0, int rows, int cols, String op) {
        if (rows == 0 || cols == 0) {
            return;
        }
        if (!b.dtype().isComputeStorage()) {
            throw new IllegalArgumentException(op + ": weight " + b + " is not F32, BF16 or F16");
        }
        long ld = b.dim(-1);
        long total = ld == 0 ? 0 : b.size() / ld;
        if (row0 < 0 || row0 + rows > total || cols > ld) {
            throw new IllegalArgumentException(op + ": weight " + b + " has no rows [" + row0 + ", " + (row0 + rows)
                    + ") x " + cols + " columns");
        }
    }
}
