package org.mmada4j.tensor;

/**
 * Matrix products, the engine of the engine. All matrices are row-major; {@code ld*} are row strides
 * in elements. Legend: m rows of the output, n columns, k the reduced dimension.
 *
 * <ul>
 *   <li>{@link #matmulNT}: {@code C[m,n] (+)= A[m,k] · B[n,k]ᵀ} — a linear layer, B = weight [out, in]
 *       stored F32, BF16 or F16 (widened in registers);</li>
 *   <li>{@link #matmulNN}: {@code C[m,n] (+)= A[m,k] · B[k,n]} — input gradient {@code dX = dY · W};</li>
 *   <li>{@link #matmulTN}: {@code C[m,n] (+)= A[k,m]ᵀ · B[k,n]} — weight gradient {@code dW = dYᵀ · X}.</li>
 * </ul>
 * B tensors are addressed from row {@code bRow0} with row stride {@code B.dim(-1)}, so a slice of a
 * weight's rows (e.g. the image part of the vocabulary) needs no copy.
 */
public final class Gemm {
    private Gemm() {
    }

    public static void matmulNT(ComputePool pool, float[] a, int aOff, int lda, Tensor b, long bRow0,
                                float[] c, int cOff, int ldc, int m, int n, int k, boolean accumulate) {
        GemmReference.matmulNT(a, aOff, lda, b, bRow0, c, cOff, ldc, m, n, k, accumulate);
    }

    public static void matmulNN(ComputePool pool, float[] a, int aOff, int lda, Tensor b, long bRow0,
                                float[] c, int cOff, int ldc, int m, int n, int k, boolean accumulate) {
        GemmReference.matmulNN(a, aOff, lda, b, bRow0, c, cOff, ldc, m, n, k, accumulate);
    }

    public static void matmulTN(ComputePool pool, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float[] c, int cOff, int ldc, int m, int n, int k, boolean accumulate) {
        GemmReference.matmulTN(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, m, n, k, accumulate);
    }
}
