package org.mmada4j.tensor;

import static org.mmada4j.tensor.GemmKernel.MR;
import static org.mmada4j.tensor.GemmKernel.NR;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Bidirectional scaled-dot-product attention (no causal mask), as {@code F.scaled_dot_product_attention}
 * with scale {@code 1/sqrt(headDim)}. Scalar twin: {@link AttentionReference}.
 *
 * <p>Layout: q, k, v and out are token-major {@code [B, L, H·D]} (the layout a linear layer produces;
 * head h occupies columns {@code [h·D, (h+1)·D)}). Keys may be longer than queries ({@code lk} ≥ 0,
 * for cached prefixes and blocks): query i sits at key position {@code queryStart + i}, which is how
 * the mask indexes it. Without a cache, {@code lq == lk} and {@code queryStart == 0}.
 *
 * <p>How (flash-attention style, on the CPU): one pool task per (sequence, head, group of queries).
 * A task packs Kᵀ and V of its head once into {@link GemmKernel} panels, then walks query tiles of
 * {@link #QT} rows over key blocks of at most {@link #TK_MAX} keys: S = Q·Kᵀ with the GEMM micro-kernel,
 * scale and mask, an online softmax (running max and sum per row, earlier partial outputs rescaled),
 * O += P·V with the micro-kernel reading P in place. Memory per task is O(QT·TK + L·D), never L² per
 * head. Key blocks depend on lk alone and every query row is computed on its own, so results do not
 * depend on the thread count.
 *
 * <p>Masks keep {@link AttentionMask}'s semantics exactly: the bias is added after scaling; a padded
 * query row gets {@code finfo.min} on every key and so ends uniform over all keys, as the reference.
 */
public final class Attention {
    private Attention() {
    }

    private static final VectorSpecies<Float> F = GemmKernel.F;
    private static final int L = GemmKernel.L;
    /** Query rows per tile (the S tile is QT × TK floats). */
    static final int QT = 64;
    /** Most keys per block. */
    static final int TK_MAX = 10 * NR;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * @param q   [batch, lq, heads·headDim]
     * @param k   [batch, lk, heads·headDim]
     * @param v   [batch, lk, heads·headDim]
     * @param out [batch, lq, heads·headDim]
     */
    public static void forward(ComputePool pool, float[] q, float[] k, float[] v, float[] out,
                               int batch, int lq, int lk, int queryStart, int heads, int headDim, AttentionMask mask) {
        int width = heads * headDim;
        check("q", q, (long) batch * lq * width);
        check("k", k, (long) batch * lk * width);
        check("v", v, (long) batch * lk * width);
        check("out", out, (long) batch * lq * width);
        if (mask.kind() != AttentionMask.Kind.NONE
                && (mask.batch() != batch || mask.length() < lk || mask.length() < queryStart + lq)) {
            throw new IllegalArgumentException("attention mask [" + mask.batch() + ", " + mask.length()
                    + "] does not cover batch " + batch + ", keys " + lk + ", queries [" + queryStart + ", "
                    + (queryStart + lq) + ")");
        }
        if (batch == 0 || lq == 0 || heads == 0 || headDim == 0) {
            return;
        }
        if (lk == 0) {
            AttentionReference.forward(q, k, v, out, batch, lq, lk, queryStart, heads, headDim, mask);
            return;
        }
        // Key-side padding bias per sequence: 0 for a real key, finfo.min for a padded one.
        float[] keyBias = null;
        if (mask.kind() == AttentionMask.Kind.PADDING) {
            keyBias = new float[batch * lk];
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < lk; j++) {
                    keyBias[b * lk + j] = mask.padding()[b * mask.length() + j] != 0 ? 0f : AttentionMask.MASKED_SCORE;
                }
            }
        }
        Tensor kt = new Tensor(DType.F32, new long[] {(long) batch * lk, width},
                MemorySegment.ofArray(k).asSlice(0, 4L * batch * lk * width));
        int bh = batch * heads;
        int qGroups = Math.min((lq + MR - 1) / MR, Math.max(1, (8 + bh - 1) / bh));
        int groupRows = GemmPacking.roundUp((lq + qGroups - 1) / qGroups, MR);
        int groups = (lq + groupRows - 1) / groupRows;
        int kBlocks = (lk + TK_MAX - 1) / TK_MAX;
        int tk = GemmPacking.roundUp((lk + kBlocks - 1) / kBlocks, NR);
        float[] kb = keyBias;
        pool.parallelFor(bh * groups, t -> {
            int g = t % groups;
            int h = (t / groups) % heads;
            int b = t / groups / heads;
            int i0 = g * groupRows;
            head(q, kt, v, out, b, h, i0, Math.min(lq, i0 + groupRows), lq, lk, queryStart, heads, headDim,
                    tk, mask, kb, SCRATCH.get());
        });
    }

    private static void head(float[] q, Tensor kt, float[] v, float[] out, int b, int h, int i0, int i1,
                             int lq, int lk, int queryStart, int heads, int d, int tk, AttentionMask mask,
                             float[] keyBias, Scratch s) {
        int width = heads * d;
        s.ensure(lk, d, i1 - i0, tk);
        // Kᵀ panels: (dim p, key j) at kp[(j / NR)·d·NR + p·NR + j % NR]; V panels: (key j, dim c) at
        // vp[(c / NR)·lk·NR + j·NR + c % NR]; Q panels of MR rows: (row r, dim p) at qp[r·d + p·MR].
        GemmPacking.packBT(kt, (long) b * lk, 0, lk, h * d, d, s.kp, 0);
        if (d % (4 * L) != 0) {
            GemmPacking.packBN(v, b * lk * width + h * d, width, 0, d, 0, lk, s.vp, 0);
        }
        GemmPacking.packA(q, b * lq * width + h * d, width, false, i0, i1 - i0, 0, d, s.qp, 0);
        float scale = (float) (1.0 / Math.sqrt(d));
        for (int qs = i0; qs < i1; qs += QT) {
            int rows = Math.min(QT, i1 - qs);
            java.util.Arrays.fill(s.max, 0, rows, Float.NEGATIVE_INFINITY);
            java.util.Arrays.fill(s.sum, 0, rows, 0f);
            java.util.Arrays.fill(s.o, 0, rows * d, 0f);
            for (int j0 = 0; j0 < lk; j0 += tk) {
                int keys = Math.min(tk, lk - j0);
                // S = Q·Kᵀ for this tile and key block.
                for (int r = 0; r < rows; r += MR) {
                    for (int jp = 0; jp < keys; jp += NR) {
                        GemmKernel.tile(d, s.qp, (qs - i0 + r) * d, s.kp, ((j0 + jp) / NR) * d * NR, s.s, r * tk + jp,
                                tk, Math.min(MR, rows - r), Math.min(NR, keys - jp), false, s.edge);
                    }
                }
                for (int r = 0; r < rows; r++) {
                    int qPos = queryStart + qs + r;
                    float alpha = softmaxRow(s.s, r * tk, keys, scale, mask, keyBias, b, lk, qPos, j0, s.max, s.sum, r);
                    if (alpha != 1f) {
                        scaleRow(s.o, r * d, d, alpha);
                    }
                }
                // O += P·V.
                if (d % (4 * L) == 0) {
                    int vBase = (b * lk + j0) * width + h * d;
                    for (int r = 0; r < rows; r += MR) {
                        for (int c = 0; c < d; c += 4 * L) {
                            pv4x4(keys, s.s, r * tk, tk, v, vBase + c, width, s.o, r * d + c, d, Math.min(MR, rows - r));
                        }
                    }
                    continue;
                }
                for (int r = 0; r < rows; r += MR) {
                    for (int c = 0; c < d; c += NR) {
                        GemmKernel.tileRowMajorA(keys, s.s, r * tk, tk, s.vp, (c / NR) * lk * NR + j0 * NR, s.o, r * d + c,
                                d, Math.min(MR, rows - r), Math.min(NR, d - c), true, s.edge);
                    }
                }
            }
            for (int r = 0; r < rows; r++) {
                float inv = 1f / s.sum[r];
                int o = (b * lq + qs + r) * width + h * d;
                int c = 0;
                for (; c + L <= d; c += L) {
                    FloatVector.fromArray(F, s.o, r * d + c).mul(inv).intoArray(out, o + c);
                }
                for (; c < d; c++) {
                    out[o + c] = s.o[r * d + c] * inv;
                }
            }
        }
    }

    /**
     * O[rows, 4L] += P[rows, keys] · V[keys, 4L] for head dims that are multiples of 4 lanes (64 at
     * 512 bits): 4 rows × 4 vectors = 16 accumulators, V read in place (its rows are contiguous), so
     * no V packing and no padded columns (48-wide panels would waste a third of the work at D = 64).
     */
    private static void pv4x4(int keys, float[] p, int po, int ldp, float[] v, int vo, int ldv,
                              float[] o, int oo, int ldo, int rows) {
        int p0 = po;
        int p1 = po + Math.min(1, rows - 1) * ldp;
        int p2 = po + Math.min(2, rows - 1) * ldp;
        int p3 = po + Math.min(3, rows - 1) * ldp;
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        for (int j = 0; j < keys; j++) {
            int vr = vo + j * ldv;
            FloatVector b0 = FloatVector.fromArray(F, v, vr);
            FloatVector b1 = FloatVector.fromArray(F, v, vr + L);
            FloatVector b2 = FloatVector.fromArray(F, v, vr + 2 * L);
            FloatVector b3 = FloatVector.fromArray(F, v, vr + 3 * L);
            FloatVector x = FloatVector.broadcast(F, p[p0 + j]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(F, p[p1 + j]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(F, p[p2 + j]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(F, p[p3 + j]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
        }
        c00.add(FloatVector.fromArray(F, o, oo)).intoArray(o, oo);
        c01.add(FloatVector.fromArray(F, o, oo + L)).intoArray(o, oo + L);
        c02.add(FloatVector.fromArray(F, o, oo + 2 * L)).intoArray(o, oo + 2 * L);
        c03.add(FloatVector.fromArray(F, o, oo + 3 * L)).intoArray(o, oo + 3 * L);
        if (rows > 1) {
            int q = oo + ldo;
            c10.add(FloatVector.fromArray(F, o, q)).intoArray(o, q);
            c11.add(FloatVector.fromArray(F, o, q + L)).intoArray(o, q + L);
            c12.add(FloatVector.fromArray(F, o, q + 2 * L)).intoArray(o, q + 2 * L);
            c13.add(FloatVector.fromArray(F, o, q + 3 * L)).intoArray(o, q + 3 * L);
        }
        if (rows > 2) {
            int q = oo + 2 * ldo;
            c20.add(FloatVector.fromArray(F, o, q)).intoArray(o, q);
            c21.add(FloatVector.fromArray(F, o, q + L)).intoArray(o, q + L);
            c22.add(FloatVector.fromArray(F, o, q + 2 * L)).intoArray(o, q + 2 * L);
            c23.add(FloatVector.fromArray(F, o, q + 3 * L)).intoArray(o, q + 3 * L);
        }
        if (rows > 3) {
            int q = oo + 3 * ldo;
            c30.add(FloatVector.fromArray(F, o, q)).intoArray(o, q);
            c31.add(FloatVector.fromArray(F, o, q + L)).intoArray(o, q + L);
            c32.add(FloatVector.fromArray(F, o, q + 2 * L)).intoArray(o, q + 2 * L);
            c33.add(FloatVector.fromArray(F, o, q + 3 * L)).intoArray(o, q + 3 * L);
        }
    }

    /**
     * Scales and masks one row of S in place, turns it into exp(s − running max) and updates the
     * row's running max and sum. Returns the factor by which earlier partial output must be scaled.
     */
    private static float softmaxRow(float[] s, int so, int keys, float scale, AttentionMask mask, float[] keyBias,
                                    int b, int lk, int qPos, int j0, float[] max, float[] sum, int r) {
        AttentionMask.Kind kind = mask.kind();
        boolean queryPadded = kind == AttentionMask.Kind.PADDING && mask.padding()[b * mask.length() + qPos] == 0;
        int biasRow = kind == AttentionMask.Kind.ADDITIVE ? (b * mask.length() + qPos) * mask.length() + j0 : 0;
        FloatVector mv = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int j = 0;
        for (; j + L <= keys; j += L) {
            FloatVector x = FloatVector.fromArray(F, s, so + j).mul(scale);
            if (kind == AttentionMask.Kind.PADDING) {
                x = queryPadded ? x.add(AttentionMask.MASKED_SCORE) : x.add(FloatVector.fromArray(F, keyBias, b * lk + j0 + j));
            } else if (kind == AttentionMask.Kind.ADDITIVE) {
                x = x.add(FloatVector.fromArray(F, mask.bias(), biasRow + j));
            }
            x.intoArray(s, so + j);
            mv = mv.max(x);
        }
        float blockMax = mv.reduceLanes(VectorOperators.MAX);
        for (; j < keys; j++) {
            float x = s[so + j] * scale;
            if (kind == AttentionMask.Kind.PADDING) {
                x += queryPadded ? AttentionMask.MASKED_SCORE : keyBias[b * lk + j0 + j];
            } else if (kind == AttentionMask.Kind.ADDITIVE) {
                x += mask.bias()[biasRow + j];
            }
            s[so + j] = x;
            blockMax = Math.max(blockMax, x);
        }
        float old = max[r];
        float now = Math.max(old, blockMax);
        max[r] = now;
        // A row that has seen only -inf so far subtracts 0 instead (no -inf - -inf = NaN).
        float ref = now == Float.NEGATIVE_INFINITY ? 0f : now;
        float blockSum = VectorMath.expAffine(s, so, s, so, keys, 1f, -ref);
        float alpha = old == Float.NEGATIVE_INFINITY ? 0f : VectorMath.exp(old - ref);
        sum[r] = sum[r] * alpha + blockSum;
        return alpha;
    }

    private static void scaleRow(float[] x, int off, int n, float f) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(F, x, off + i).mul(f).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] *= f;
        }
    }

    private static void check(String name, float[] a, long need) {
        if (a.length < need) {
            throw new IllegalArgumentException("attention " + name + " has " + a.length + " floats, needs " + need);
        }
    }

    /** Per-thread buffers, grown on demand. */
    private static final class Scratch {
        float[] kp = new float[0];
        float[] vp = new float[0];
        float[] qp = new float[0];
        float[] s = new float[0];
        float[] o = new float[0];
        float[] max = new float[QT];
        float[] sum = new float[QT];
        final float[] edge = new float[MR * NR];

        void ensure(int lk, int d, int groupRows, int tk) {
            kp = grow(kp, (long) GemmPacking.roundUp(lk, NR) * d);
            vp = grow(vp, (long) GemmPacking.roundUp(d, NR) * lk);
            qp = grow(qp, (long) GemmPacking.roundUp(groupRows, MR) * d);
            s = grow(s, (long) QT * tk);
            o = grow(o, (long) QT * d);
        }

        private static float[] grow(float[] a, long size) {
            if (size > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("attention buffer of " + size + " floats");
            }
            return a.length >= size ? a : new float[(int) size];
        }
    }
}
