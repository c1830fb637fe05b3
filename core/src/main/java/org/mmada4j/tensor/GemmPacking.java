package org.mmada4j.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packing for {@link Gemm}: copies operand blocks into the contiguous, fp32 layouts the micro-kernel
 * ({@link GemmKernel}) streams through.
 *
 * <ul>
 *   <li>A (broadcast operand) in panels of {@link GemmKernel#MR} rows: element (row r, step p) of a
 *       panel at {@code p·MR + r}; rows past m are zero.</li>
 *   <li>B (vector operand) in panels of {@link GemmKernel#NR} columns: element (step p, column j) of a
 *       panel at {@code p·NR + j}; columns past n are zero. BF16/F16 weights are widened here, once per
 *       block, never in the kernel's inner loop. A weight stored [N, K] (matmulNT) is transposed on
 *       the way with an in-register L×L transpose (L = lanes) when L = 16.</li>
 * </ul>
 */
final class GemmPacking {
    private GemmPacking() {
    }

    static final VectorSpecies<Float> F = GemmKernel.F;
    static final int L = GemmKernel.L;
    static final int NR = GemmKernel.NR;
    static final int MR = GemmKernel.MR;
    private static final VectorSpecies<Short> SH =
            VectorSpecies.of(short.class, VectorShape.forBitSize(L * Short.SIZE));
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED.withShape(F.vectorShape());
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    // selectFrom indexes of the transpose's four stages: stage s swaps bit s of the row index with
    // bit s of the lane index between rows x (bit s = 0) and y (bit s = 1).
    private static final FloatVector[] SEL_LO = new FloatVector[4];
    private static final FloatVector[] SEL_HI = new FloatVector[4];

    static {
        if (L == 16) {
            for (int s = 0; s < 4; s++) {
                float[] lo = new float[16];
                float[] hi = new float[16];
                for (int l = 0; l < 16; l++) {
                    int fromY = ((l >> s) & 1) * 16;
                    lo[l] = fromY + (l & ~(1 << s));
                    hi[l] = fromY + (l | (1 << s));
                }
                SEL_LO[s] = FloatVector.fromArray(F, lo, 0);
                SEL_HI[s] = FloatVector.fromArray(F, hi, 0);
            }
        }
    }

    // ---------------------------------------------------------------- A

    /**
     * Packs rows [i0, i0+rows) × steps [p0, p0+kb) of A into {@code dst[dOff..]}, panel after panel.
     * {@code transposed}: A is stored [k, m] (matmulTN), element (i, p) at {@code a[aOff + p·lda + i]};
     * otherwise [m, k], element (i, p) at {@code a[aOff + i·lda + p]}.
     */
    static void packA(float[] a, int aOff, int lda, boolean transposed, int i0, int rows, int p0, int kb,
                      float[] dst, int dOff) {
        for (int ir = 0; ir < rows; ir += MR) {
            int valid = Math.min(MR, rows - ir);
            int base = dOff + ir * kb;
            if (transposed) {
                for (int p = 0; p < kb; p++) {
                    int src = aOff + (p0 + p) * lda + i0 + ir;
                    int d = base + p * MR;
                    for (int r = 0; r < MR; r++) {
                        dst[d + r] = r < valid ? a[src + r] : 0f;
                    }
                }
            } else if (valid == MR) {
                int s0 = aOff + (i0 + ir) * lda + p0;
                int s1 = s0 + lda;
                int s2 = s1 + lda;
                int s3 = s2 + lda;
                for (int p = 0; p < kb; p++) {
                    int d = base + p * MR;
                    dst[d] = a[s0 + p];
                    dst[d + 1] = a[s1 + p];
                    dst[d + 2] = a[s2 + p];
                    dst[d + 3] = a[s3 + p];
                }
            } else {
                for (int p = 0; p < kb; p++) {
                    int d = base + p * MR;
                    for (int r = 0; r < MR; r++) {
                        dst[d + r] = r < valid ? a[aOff + (i0 + ir + r) * lda + p0 + p] : 0f;
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- B stored [N, K] (matmulNT)

    /**
     * Packs columns [j0, j0+cols) × steps [p0, p0+kb) of {@code Bᵀ}, where B is a weight [N, K]
     * addressed from row {@code bRow0}: element (p, j) = {@code B[bRow0 + j, p]}.
     */
    static void packBT(Tensor b, long bRow0, int j0, int cols, int p0, int kb, float[] dst, int dOff) {
        MemorySegment seg = b.data();
        long ldb = b.dim(-1);
        DType dt = b.dtype();
        int padded = roundUp(cols, NR);
        for (int g = 0; g < padded; g += L) {
            int dBase = dOff + (g / NR) * kb * NR + g % NR;
            int rowsValid = Math.max(0, Math.min(L, cols - g));
            long row0 = bRow0 + j0 + g;
            if (L == 16 && rowsValid > 0) {
                for (int p = 0; p < kb; p += L) {
                    transpose16(seg, dt, ldb, row0, rowsValid, p0 + p, Math.min(L, kb - p), dst, dBase + p * NR);
                }
            } else {
                for (int p = 0; p < kb; p++) {
                    int d = dBase + p * NR;
                    for (int t = 0; t < L; t++) {
                        dst[d + t] = t < rowsValid ? b.getFloat((row0 + t) * ldb + p0 + p) : 0f;
                    }
                }
            }
        }
    }

    /** Loads a 16×16 block (16 rows of B, 16 steps), transposes it in registers, stores 16 lanes per step. */
    private static void transpose16(MemorySegment seg, DType dt, long ldb, long row0, int rows, long p, int steps,
                                    float[] dst, int d) {
        FloatVector r0 = row(seg, dt, ldb, row0, 0, rows, p, steps);
        FloatVector r1 = row(seg, dt, ldb, row0, 1, rows, p, steps);
        FloatVector r2 = row(seg, dt, ldb, row0, 2, rows, p, steps);
        FloatVector r3 = row(seg, dt, ldb, row0, 3, rows, p, steps);
        FloatVector r4 = row(seg, dt, ldb, row0, 4, rows, p, steps);
        FloatVector r5 = row(seg, dt, ldb, row0, 5, rows, p, steps);
        FloatVector r6 = row(seg, dt, ldb, row0, 6, rows, p, steps);
        FloatVector r7 = row(seg, dt, ldb, row0, 7, rows, p, steps);
        FloatVector r8 = row(seg, dt, ldb, row0, 8, rows, p, steps);
        FloatVector r9 = row(seg, dt, ldb, row0, 9, rows, p, steps);
        FloatVector r10 = row(seg, dt, ldb, row0, 10, rows, p, steps);
        FloatVector r11 = row(seg, dt, ldb, row0, 11, rows, p, steps);
        FloatVector r12 = row(seg, dt, ldb, row0, 12, rows, p, steps);
        FloatVector r13 = row(seg, dt, ldb, row0, 13, rows, p, steps);
        FloatVector r14 = row(seg, dt, ldb, row0, 14, rows, p, steps);
        FloatVector r15 = row(seg, dt, ldb, row0, 15, rows, p, steps);
        for (int s = 0; s < 4; s++) {
            FloatVector lo = SEL_LO[s];
            FloatVector hi = SEL_HI[s];
            // Pairs (i, i + 2^s) for every i whose bit s is 0, written out for s = 0..3 by relabelling:
            // after each stage the vectors are renamed so that the next stage again pairs neighbours.
            FloatVector t0 = lo.selectFrom(r0, r1);
            FloatVector t1 = hi.selectFrom(r0, r1);
            FloatVector t2 = lo.selectFrom(r2, r3);
            FloatVector t3 = hi.selectFrom(r2, r3);
            FloatVector t4 = lo.selectFrom(r4, r5);
            FloatVector t5 = hi.selectFrom(r4, r5);
            FloatVector t6 = lo.selectFrom(r6, r7);
            FloatVector t7 = hi.selectFrom(r6, r7);
            FloatVector t8 = lo.selectFrom(r8, r9);
            FloatVector t9 = hi.selectFrom(r8, r9);
            FloatVector t10 = lo.selectFrom(r10, r11);
            FloatVector t11 = hi.selectFrom(r10, r11);
            FloatVector t12 = lo.selectFrom(r12, r13);
            FloatVector t13 = hi.selectFrom(r12, r13);
            FloatVector t14 = lo.selectFrom(r14, r15);
            FloatVector t15 = hi.selectFrom(r14, r15);
            // Relabel: new neighbours (2i, 2i+1) must be old rows differing in the next bit. Mapping
            // row index bits (b3 b2 b1 b0) -> (b0 b3 b2 b1) rotates which bit the pairs differ in.
            r0 = t0; r1 = t2; r2 = t4; r3 = t6; r4 = t8; r5 = t10; r6 = t12; r7 = t14;
            r8 = t1; r9 = t3; r10 = t5; r11 = t7; r12 = t9; r13 = t11; r14 = t13; r15 = t15;
        }
        // After four rotations every row index is back in its original bit order.
        store(r0, dst, d, 0, steps);
        store(r1, dst, d, 1, steps);
        store(r2, dst, d, 2, steps);
        store(r3, dst, d, 3, steps);
        store(r4, dst, d, 4, steps);
        store(r5, dst, d, 5, steps);
        store(r6, dst, d, 6, steps);
        store(r7, dst, d, 7, steps);
        store(r8, dst, d, 8, steps);
        store(r9, dst, d, 9, steps);
        store(r10, dst, d, 10, steps);
        store(r11, dst, d, 11, steps);
        store(r12, dst, d, 12, steps);
        store(r13, dst, d, 13, steps);
        store(r14, dst, d, 14, steps);
        store(r15, dst, d, 15, steps);
    }

    private static void store(FloatVector v, float[] dst, int d, int t, int steps) {
        if (t < steps) {
            v.intoArray(dst, d + t * NR);
        }
    }

    private static FloatVector row(MemorySegment seg, DType dt, long ldb, long row0, int t, int rows, long p, int steps) {
        if (t >= rows) {
            return FloatVector.zero(F);
        }
        return load(seg, dt, (row0 + t) * ldb + p, steps);
    }

    // ---------------------------------------------------------------- B stored [K, N] (matmulNN)

    /** Packs steps [p0, p0+kb) × columns [j0, j0+cols) of B [K, N] addressed from row {@code bRow0}. */
    static void packBN(Tensor b, long bRow0, int j0, int cols, int p0, int kb, float[] dst, int dOff) {
        MemorySegment seg = b.data();
        long ldb = b.dim(-1);
        DType dt = b.dtype();
        int padded = roundUp(cols, NR);
        for (int g = 0; g < padded; g += L) {
            int dBase = dOff + (g / NR) * kb * NR + g % NR;
            int valid = Math.max(0, Math.min(L, cols - g));
            for (int p = 0; p < kb; p++) {
                FloatVector v = valid == 0 ? FloatVector.zero(F)
                        : load(seg, dt, (bRow0 + p0 + p) * ldb + j0 + g, valid);
                v.intoArray(dst, dBase + p * NR);
            }
        }
    }

    /** Packs steps [p0, p0+kb) × columns [j0, j0+cols) of a heap B [K, N] (matmulTN). */
    static void packBN(float[] b, int bOff, int ldb, int j0, int cols, int p0, int kb, float[] dst, int dOff) {
        int padded = roundUp(cols, NR);
        for (int g = 0; g < padded; g += L) {
            int dBase = dOff + (g / NR) * kb * NR + g % NR;
            int valid = Math.max(0, Math.min(L, cols - g));
            VectorMask<Float> mask = F.indexInRange(0, valid);
            for (int p = 0; p < kb; p++) {
                int src = bOff + (p0 + p) * ldb + j0 + g;
                FloatVector v = valid == L ? FloatVector.fromArray(F, b, src)
                        : valid == 0 ? FloatVector.zero(F) : FloatVector.fromArray(F, b, src, mask);
                v.intoArray(dst, dBase + p * NR);
            }
        }
    }

    // ---------------------------------------------------------------- widening loads

    /** {@code count} (≤ L) consecutive elements from flat index {@code elem}, widened; lanes past count are 0. */
    static FloatVector load(MemorySegment seg, DType dt, long elem, int count) {
        return switch (dt) {
            case F32 -> count == L ? FloatVector.fromMemorySegment(F, seg, elem * 4, LE)
                    : FloatVector.fromMemorySegment(F, seg, elem * 4, LE, F.indexInRange(0, count));
            case BF16 -> bf16ToFloat(shorts(seg, elem, count));
            case F16 -> f16ToFloat(shorts(seg, elem, count));
            default -> throw new UnsupportedOperationException("GEMM cannot read " + dt + " weights");
        };
    }

    private static IntVector shorts(MemorySegment seg, long elem, int count) {
        ShortVector s = count == L ? ShortVector.fromMemorySegment(SH, seg, elem * 2, LE)
                : ShortVector.fromMemorySegment(SH, seg, elem * 2, LE, SH.indexInRange(0, count));
        return (IntVector) s.convertShape(VectorOperators.ZERO_EXTEND_S2I, I, 0);
    }

    /** bf16 is the upper half of an fp32. */
    static FloatVector bf16ToFloat(IntVector bits) {
        return bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /**
     * IEEE half to float without a lookup: shift exponent and mantissa into place and rescale by
     * 2^112 (exact for normals and subnormals); infinities and NaNs get the all-ones exponent.
     */
    static FloatVector f16ToFloat(IntVector h) {
        IntVector em = h.and(0x7fff);
        IntVector shifted = em.lanewise(VectorOperators.LSHL, 13);
        IntVector scaled = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        IntVector special = shifted.or(0x7f800000);
        // NaNs come out quiet, as Float.float16ToFloat makes them.
        special = special.blend(special.or(0x400000), em.compare(VectorOperators.GT, 0x7c00));
        IntVector bits = scaled.blend(special, em.compare(VectorOperators.GE, 0x7c00));
        return bits.or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
    }

    static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }
}
