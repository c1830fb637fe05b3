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

    // interleave4: ZIP_* pair two rows lane by lane (x0 y0 x1 y1 ...: low or high 8 steps); PAIR_*
    // then take pairs from two zipped vectors alternately (steps 0-3 or 4-7 of the 8, all 4 rows).
    private static final FloatVector ZIP_LO = indexes(l -> (l % 2) * 16 + l / 2);
    private static final FloatVector ZIP_HI = indexes(l -> (l % 2) * 16 + 8 + l / 2);
    private static final FloatVector PAIR_LO = indexes(l -> ((l % 4) < 2 ? 0 : 16) + 2 * (l / 4) + l % 2);
    private static final FloatVector PAIR_HI = indexes(l -> ((l % 4) < 2 ? 0 : 16) + 8 + 2 * (l / 4) + l % 2);

    private static FloatVector indexes(java.util.function.IntUnaryOperator f) {
        if (L != 16) {
            return null;
        }
        float[] x = new float[16];
        for (int l = 0; l < 16; l++) {
            x[l] = f.applyAsInt(l);
        }
        return FloatVector.fromArray(F, x, 0);
    }

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
                int p = L == 16 ? interleave4(a, s0, s1, s2, s3, kb, dst, base) : 0;
                for (; p < kb; p++) {
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

    /**
     * Interleaves 4 rows 16 steps at a time (dst[p·4 + r] = row_r[p]) with two rounds of two-vector
     * selects; returns the number of steps done (a multiple of 16), the caller finishes the tail.
     */
    private static int interleave4(float[] a, int s0, int s1, int s2, int s3, int kb, float[] dst, int d) {
        int p = 0;
        for (; p + 16 <= kb; p += 16) {
            FloatVector r0 = FloatVector.fromArray(F, a, s0 + p);
            FloatVector r1 = FloatVector.fromArray(F, a, s1 + p);
            FloatVector r2 = FloatVector.fromArray(F, a, s2 + p);
            FloatVector r3 = FloatVector.fromArray(F, a, s3 + p);
            FloatVector lo01 = ZIP_LO.selectFrom(r0, r1);
            FloatVector hi01 = ZIP_HI.selectFrom(r0, r1);
            FloatVector lo23 = ZIP_LO.selectFrom(r2, r3);
            FloatVector hi23 = ZIP_HI.selectFrom(r2, r3);
            PAIR_LO.selectFrom(lo01, lo23).intoArray(dst, d + p * MR);
            PAIR_HI.selectFrom(lo01, lo23).intoArray(dst, d + p * MR + 16);
            PAIR_LO.selectFrom(hi01, hi23).intoArray(dst, d + p * MR + 32);
            PAIR_HI.selectFrom(hi01, hi23).intoArray(dst, d + p * MR + 48);
        }
        return p;
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
        float[] stage = L == 16 ? new float[3 * L * L] : null;
        for (int g = 0; g < padded; g += L) {
            int dBase = dOff + (g / NR) * kb * NR + g % NR;
            int rowsValid = Math.max(0, Math.min(L, cols - g));
            long row0 = bRow0 + j0 + g;
            if (L == 16 && rowsValid > 0) {
                int p = 0;
                if (dt != DType.F32) {
                    // 16-bit weights: one 512-bit load holds 32 steps of a row; its even and odd halves
                    // widen with a shift or a mask and are transposed separately (no lane conversion).
                    for (; p + 2 * L <= kb; p += 2 * L) {
                        for (int t = 0; t < L; t++) {
                            stageHalves(seg, dt, t < rowsValid ? (row0 + t) * ldb + p0 + p : -1, stage, t * L);
                        }
                        transpose16(stage, 0, L, dst, dBase + p * NR, 2 * NR, stage);
                        transpose16(stage, L * L, L, dst, dBase + (p + 1) * NR, 2 * NR, stage);
                    }
                }
                for (; p < kb; p += L) {
                    int steps = Math.min(L, kb - p);
                    for (int t = 0; t < L; t++) {
                        stageRow(seg, dt, t < rowsValid ? (row0 + t) * ldb + p0 + p : -1, steps, stage, t * L);
                    }
                    transpose16(stage, 0, steps, dst, dBase + p * NR, NR, stage);
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

    // Vectors never cross a method boundary here: C2 does not inline methods this large, and a vector
    // passed or returned through a call is boxed on the heap. Rows go through a small staging array.

    /** Widens {@code count} steps from flat index {@code elem} (or zeros when elem < 0) into st[so, so+16). */
    private static void stageRow(MemorySegment seg, DType dt, long elem, int count, float[] st, int so) {
        if (elem < 0) {
            FloatVector.zero(F).intoArray(st, so);
        } else {
            widen(seg, dt, elem, count, st, so);
        }
    }

    /** 32 steps of a 16-bit row: even steps into st[so, so+16), odd steps into st[so+256, so+272). */
    private static void stageHalves(MemorySegment seg, DType dt, long elem, float[] st, int so) {
        if (elem < 0) {
            FloatVector.zero(F).intoArray(st, so);
            FloatVector.zero(F).intoArray(st, so + L * L);
            return;
        }
        IntVector w = IntVector.fromMemorySegment(I, seg, elem * 2, LE);
        if (dt == DType.BF16) {
            w.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(st, so);
            w.and(0xffff0000).reinterpretAsFloats().intoArray(st, so + L * L);
        } else {
            f16ToFloat(w.and(0xffff)).intoArray(st, so);
            f16ToFloat(w.lanewise(VectorOperators.LSHR, 16)).intoArray(st, so + L * L);
        }
    }

    /**
     * Transposes the 16×16 block st[so..so+256) (row t at so + 16t) in registers and stores its
     * columns: column t (16 lanes, one per B row) at dst[d + t·stride] for t < steps.
     */
    private static void transpose16(float[] st, int so, int steps, float[] dst, int d, int stride, float[] spill) {
        FloatVector r0 = FloatVector.fromArray(F, st, so);
        FloatVector r1 = FloatVector.fromArray(F, st, so + 16);
        FloatVector r2 = FloatVector.fromArray(F, st, so + 32);
        FloatVector r3 = FloatVector.fromArray(F, st, so + 48);
        FloatVector r4 = FloatVector.fromArray(F, st, so + 64);
        FloatVector r5 = FloatVector.fromArray(F, st, so + 80);
        FloatVector r6 = FloatVector.fromArray(F, st, so + 96);
        FloatVector r7 = FloatVector.fromArray(F, st, so + 112);
        FloatVector r8 = FloatVector.fromArray(F, st, so + 128);
        FloatVector r9 = FloatVector.fromArray(F, st, so + 144);
        FloatVector r10 = FloatVector.fromArray(F, st, so + 160);
        FloatVector r11 = FloatVector.fromArray(F, st, so + 176);
        FloatVector r12 = FloatVector.fromArray(F, st, so + 192);
        FloatVector r13 = FloatVector.fromArray(F, st, so + 208);
        FloatVector r14 = FloatVector.fromArray(F, st, so + 224);
        FloatVector r15 = FloatVector.fromArray(F, st, so + 240);
        for (int s = 0; s < 4; s++) {
            FloatVector lo = SEL_LO[s];
            FloatVector hi = SEL_HI[s];
            // Stage s pairs neighbours (2i, 2i+1) and swaps the pair bit with lane bit s; renaming the
            // results (lo halves first) rotates the row-index bits so that the next stage again pairs
            // neighbours. After four stages row and lane bits have traded places: the transpose.
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
            r0 = t0; r1 = t2; r2 = t4; r3 = t6; r4 = t8; r5 = t10; r6 = t12; r7 = t14;
            r8 = t1; r9 = t3; r10 = t5; r11 = t7; r12 = t9; r13 = t11; r14 = t13; r15 = t15;
        }
        boolean all = steps == 16;
        int o = all ? d : 0;
        int st2 = all ? stride : 16;
        float[] out = all ? dst : spill;
        if (!all) {
            o = 2 * L * L;  // the spill area after both staged blocks
        }
        r0.intoArray(out, o);
        r1.intoArray(out, o + st2);
        r2.intoArray(out, o + 2 * st2);
        r3.intoArray(out, o + 3 * st2);
        r4.intoArray(out, o + 4 * st2);
        r5.intoArray(out, o + 5 * st2);
        r6.intoArray(out, o + 6 * st2);
        r7.intoArray(out, o + 7 * st2);
        r8.intoArray(out, o + 8 * st2);
        r9.intoArray(out, o + 9 * st2);
        r10.intoArray(out, o + 10 * st2);
        r11.intoArray(out, o + 11 * st2);
        r12.intoArray(out, o + 12 * st2);
        r13.intoArray(out, o + 13 * st2);
        r14.intoArray(out, o + 14 * st2);
        r15.intoArray(out, o + 15 * st2);
        if (!all) {
            for (int t = 0; t < steps; t++) {
                System.arraycopy(spill, 2 * L * L + t * 16, dst, d + t * stride, 16);
            }
        }
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
                if (valid == 0) {
                    FloatVector.zero(F).intoArray(dst, dBase + p * NR);
                } else {
                    widen(seg, dt, (bRow0 + p0 + p) * ldb + j0 + g, valid, dst, dBase + p * NR);
                }
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

    /**
     * Widens {@code count} (≤ L) elements from flat index {@code elem} into {@code dst[d, d+L)} (lanes
     * past count are 0). The vector stays inside this method: C2 inlines small callers' calls to it,
     * but a vector returned from a call it does not inline is boxed on the heap.
     */
    static void widen(MemorySegment seg, DType dt, long elem, int count, float[] dst, int d) {
        switch (dt) {
            case F32 -> (count == L ? FloatVector.fromMemorySegment(F, seg, elem * 4, LE)
                    : FloatVector.fromMemorySegment(F, seg, elem * 4, LE, F.indexInRange(0, count))).intoArray(dst, d);
            case BF16 -> {
                ShortVector sv = count == L ? ShortVector.fromMemorySegment(SH, seg, elem * 2, LE)
                        : ShortVector.fromMemorySegment(SH, seg, elem * 2, LE, SH.indexInRange(0, count));
                IntVector w = ((IntVector) sv.convertShape(VectorOperators.S2I, I, 0));
                w.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(dst, d);
            }
            case F16 -> {
                ShortVector sv = count == L ? ShortVector.fromMemorySegment(SH, seg, elem * 2, LE)
                        : ShortVector.fromMemorySegment(SH, seg, elem * 2, LE, SH.indexInRange(0, count));
                IntVector h = ((IntVector) sv.convertShape(VectorOperators.S2I, I, 0)).and(0xffff);
                IntVector em = h.and(0x7fff);
                IntVector shifted = em.lanewise(VectorOperators.LSHL, 13);
                IntVector scaled = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
                IntVector special = shifted.or(0x7f800000);
                special = special.blend(special.or(0x400000), em.compare(VectorOperators.GT, 0x7c00));
                IntVector bits = scaled.blend(special, em.compare(VectorOperators.GE, 0x7c00));
                bits.or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats().intoArray(dst, d);
            }
            default -> throw new UnsupportedOperationException("GEMM cannot read " + dt + " weights");
        }
    }

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
        return ((IntVector) s.convertShape(VectorOperators.S2I, I, 0)).and(0xffff);
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
