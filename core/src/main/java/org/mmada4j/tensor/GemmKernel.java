package org.mmada4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GEMM micro-kernel: a {@link #MR} × {@link #NR} tile of C (4 rows × 3 vectors = 12 accumulators,
 * which leaves registers for 3 B vectors and the broadcast A value) accumulated over one K block of
 * packed operands (layouts in {@link GemmPacking}). 8×3 tiles spill on AVX-512 (measured ~10 % slower
 * on this project's machines); 4×3 keeps 7 loads per 12 FMAs, well inside two load ports.
 *
 * <p>Each C element is a sum over p in increasing order inside a block, added to C block after block,
 * so its value depends only on the K blocking — never on which task or thread computed the tile.
 */
final class GemmKernel {
    private GemmKernel() {
    }

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    static final int MR = 4;
    static final int NR = 3 * L;

    /**
     * C[rows, cols] (+)= Apanel · Bpanel over kb steps. {@code add}: add to C (else overwrite).
     * rows ≤ MR and cols ≤ NR; the padded part of a partial tile is computed on zeros and dropped.
     * {@code edge}: scratch of MR·NR floats for partial tiles.
     */
    static void tile(int kb, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc,
                     int rows, int cols, boolean add, float[] edge) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00;
        boolean full = rows == MR && cols == NR;
        if (add && full) {
            // Start from C (beta = 1): the loads are off the critical path, the stores need no add.
            c00 = FloatVector.fromArray(F, c, co);
            c01 = FloatVector.fromArray(F, c, co + L);
            c02 = FloatVector.fromArray(F, c, co + 2 * L);
            c10 = FloatVector.fromArray(F, c, co + ldc);
            c11 = FloatVector.fromArray(F, c, co + ldc + L);
            c12 = FloatVector.fromArray(F, c, co + ldc + 2 * L);
            c20 = FloatVector.fromArray(F, c, co + 2 * ldc);
            c21 = FloatVector.fromArray(F, c, co + 2 * ldc + L);
            c22 = FloatVector.fromArray(F, c, co + 2 * ldc + 2 * L);
            c30 = FloatVector.fromArray(F, c, co + 3 * ldc);
            c31 = FloatVector.fromArray(F, c, co + 3 * ldc + L);
            c32 = FloatVector.fromArray(F, c, co + 3 * ldc + 2 * L);
        }
        int p = 0;
        for (; p + 1 < kb; p += 2) {
            int b = bo + p * NR;
            int a = ao + p * MR;
            FloatVector b0 = FloatVector.fromArray(F, bp, b);
            FloatVector b1 = FloatVector.fromArray(F, bp, b + L);
            FloatVector b2 = FloatVector.fromArray(F, bp, b + 2 * L);
            FloatVector x = FloatVector.broadcast(F, ap[a]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(F, ap[a + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(F, ap[a + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            x = FloatVector.broadcast(F, ap[a + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            b0 = FloatVector.fromArray(F, bp, b + NR);
            b1 = FloatVector.fromArray(F, bp, b + NR + L);
            b2 = FloatVector.fromArray(F, bp, b + NR + 2 * L);
            x = FloatVector.broadcast(F, ap[a + 4]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(F, ap[a + 5]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(F, ap[a + 6]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            x = FloatVector.broadcast(F, ap[a + 7]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
        }
        if (p < kb) {
            int b = bo + p * NR;
            int a = ao + p * MR;
            FloatVector b0 = FloatVector.fromArray(F, bp, b);
            FloatVector b1 = FloatVector.fromArray(F, bp, b + L);
            FloatVector b2 = FloatVector.fromArray(F, bp, b + 2 * L);
            FloatVector x = FloatVector.broadcast(F, ap[a]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(F, ap[a + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(F, ap[a + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            x = FloatVector.broadcast(F, ap[a + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
        }
        if (full) {
            c00.intoArray(c, co);
            c01.intoArray(c, co + L);
            c02.intoArray(c, co + 2 * L);
            c10.intoArray(c, co + ldc);
            c11.intoArray(c, co + ldc + L);
            c12.intoArray(c, co + ldc + 2 * L);
            c20.intoArray(c, co + 2 * ldc);
            c21.intoArray(c, co + 2 * ldc + L);
            c22.intoArray(c, co + 2 * ldc + 2 * L);
            c30.intoArray(c, co + 3 * ldc);
            c31.intoArray(c, co + 3 * ldc + L);
            c32.intoArray(c, co + 3 * ldc + 2 * L);
        } else {
            // Partial tile: spill the accumulators, then copy the valid part with plain loops. No
            // vector may reach a call that is not inlined: C2 would box the accumulators in the loop.
            c00.intoArray(edge, 0);
            c01.intoArray(edge, L);
            c02.intoArray(edge, 2 * L);
            c10.intoArray(edge, NR);
            c11.intoArray(edge, NR + L);
            c12.intoArray(edge, NR + 2 * L);
            c20.intoArray(edge, 2 * NR);
            c21.intoArray(edge, 2 * NR + L);
            c22.intoArray(edge, 2 * NR + 2 * L);
            c30.intoArray(edge, 3 * NR);
            c31.intoArray(edge, 3 * NR + L);
            c32.intoArray(edge, 3 * NR + 2 * L);
            storeEdge(edge, c, co, ldc, rows, cols, add);
        }
    }

    /**
     * As {@link #tile} with A read in place from a row-major matrix (row r of the tile at
     * {@code a[ao + r·lda ..]}) instead of a packed panel: attention's P·V, where P is produced block
     * by block and packing it would cost as much as using it. Rows past {@code rows} re-read the last
     * valid row (never out of bounds) and are dropped.
     */
    static void tileRowMajorA(int kb, float[] a, int ao, int lda, float[] bp, int bo, float[] c, int co, int ldc,
                              int rows, int cols, boolean add, float[] edge) {
        int a0 = ao;
        int a1 = ao + Math.min(1, rows - 1) * lda;
        int a2 = ao + Math.min(2, rows - 1) * lda;
        int a3 = ao + Math.min(3, rows - 1) * lda;
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00;
        for (int p = 0; p < kb; p++) {
            int b = bo + p * NR;
            FloatVector b0 = FloatVector.fromArray(F, bp, b);
            FloatVector b1 = FloatVector.fromArray(F, bp, b + L);
            FloatVector b2 = FloatVector.fromArray(F, bp, b + 2 * L);
            FloatVector x = FloatVector.broadcast(F, a[a0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(F, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(F, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            x = FloatVector.broadcast(F, a[a3 + p]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
        }
        c00.intoArray(edge, 0);
        c01.intoArray(edge, L);
        c02.intoArray(edge, 2 * L);
        c10.intoArray(edge, NR);
        c11.intoArray(edge, NR + L);
        c12.intoArray(edge, NR + 2 * L);
        c20.intoArray(edge, 2 * NR);
        c21.intoArray(edge, 2 * NR + L);
        c22.intoArray(edge, 2 * NR + 2 * L);
        c30.intoArray(edge, 3 * NR);
        c31.intoArray(edge, 3 * NR + L);
        c32.intoArray(edge, 3 * NR + 2 * L);
        if (rows == MR && cols == NR) {
            for (int r = 0; r < MR; r++) {
                int o = co + r * ldc;
                FloatVector v0 = FloatVector.fromArray(F, edge, r * NR);
                FloatVector v1 = FloatVector.fromArray(F, edge, r * NR + L);
                FloatVector v2 = FloatVector.fromArray(F, edge, r * NR + 2 * L);
                if (add) {
                    v0 = v0.add(FloatVector.fromArray(F, c, o));
                    v1 = v1.add(FloatVector.fromArray(F, c, o + L));
                    v2 = v2.add(FloatVector.fromArray(F, c, o + 2 * L));
                }
                v0.intoArray(c, o);
                v1.intoArray(c, o + L);
                v2.intoArray(c, o + 2 * L);
            }
        } else {
            storeEdge(edge, c, co, ldc, rows, cols, add);
        }
    }

    private static void storeEdge(float[] edge, float[] c, int co, int ldc, int rows, int cols, boolean add) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                int ci = co + r * ldc + j;
                c[ci] = add ? edge[r * NR + j] + c[ci] : edge[r * NR + j];
            }
        }
    }
}
