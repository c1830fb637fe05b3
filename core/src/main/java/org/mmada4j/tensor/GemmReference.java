package org.mmada4j.tensor;

/** Scalar twins of {@link Gemm}: the test oracle (double accumulation), never used on hot paths. */
public final class GemmReference {
    private GemmReference() {
    }

    public static void matmulNT(float[] a, int aOff, int lda, Tensor b, long bRow0,
                                float[] c, int cOff, int ldc, int m, int n, int k, boolean accumulate) {
        long ldb = b.dim(-1);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                long bBase = (bRow0 + j) * ldb;
                for (int p = 0; p < k; p++) {
                    s += (double) a[aOff + i * lda + p] * b.getFloat(bBase + p);
                }
                int ci = cOff + i * ldc + j;
                c[ci] = accumulate ? (float) (c[ci] + s) : (float) s;
            }
        }
    }

    public static void matmulNN(float[] a, int aOff, int lda, Tensor b, long bRow0,
                                float[] c, int cOff, int ldc, int m, int n, int k, boolean accumulate) {
        long ldb = b.dim(-1);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (double) a[aOff + i * lda + p] * b.getFloat((bRow0 + p) * ldb + j);
                }
                int ci = cOff + i * ldc + j;
                c[ci] = accumulate ? (float) (c[ci] + s) : (float) s;
            }
        }
    }

    public static void matmulTN(float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float[] c, int cOff, int ldc, int m, int n, int k, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (double) a[aOff + p * lda + i] * b[bOff + p * ldb + j];
                }
                int ci = cOff + i * ldc + j;
                c[ci] = accumulate ? (float) (c[ci] + s) : (float) s;
            }
        }
    }
}
