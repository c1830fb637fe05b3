package org.mmada4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mmada4j.testing.Assertions2.assertClose;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** LayerNorm and the GELU activations (CLIP's kernels) against their scalar twins. */
class LayerNormAndGeluTest {
    private static final int[] LENGTHS = {1, 3, 15, 16, 17, 31, 33, 64, 100, 768, 1001};

    @Test
    void layerNormMatchesReference() {
        Random rnd = new Random(21);
        for (int dim : LENGTHS) {
            int rows = 3;
            float[] x = GemmTest.random(rnd, 2 + rows * dim);
            for (int i = 0; i < x.length; i++) {
                x[i] = x[i] * 3 + 40; // a large common offset: what a one-pass variance would get wrong
            }
            float[] g = GemmTest.random(rnd, dim);
            float[] b = GemmTest.random(rnd, dim);
            float[] want = new float[1 + rows * dim];
            float[] got = new float[1 + rows * dim];
            NormsReference.layerNorm(x, 2, g, b, 1e-5f, want, 1, rows, dim);
            LayerNorm.forward(x, 2, g, b, 1e-5f, got, 1, rows, dim);
            assertClose("layerNorm dim " + dim, want, got, 2e-5, 1e-5);
        }
        // Pool version, in place.
        float[] x = GemmTest.random(rnd, 50 * 40);
        float[] g = GemmTest.random(rnd, 40);
        float[] b = GemmTest.random(rnd, 40);
        float[] want = new float[x.length];
        NormsReference.layerNorm(x, 0, g, b, 1e-6f, want, 0, 50, 40);
        try (ComputePool pool = new ComputePool(2)) {
            LayerNorm.forward(pool, x, g, b, 1e-6f, x, 50, 40);
        }
        assertClose("layerNorm pooled in place", want, x, 2e-5, 1e-5);
    }

    @Test
    void constantRowNormalisesToBias() {
        float[] x = new float[8];
        java.util.Arrays.fill(x, 7f);
        float[] g = new float[8];
        float[] b = new float[8];
        java.util.Arrays.fill(g, 2f);
        java.util.Arrays.fill(b, 0.5f);
        LayerNorm.forward(x, 0, g, b, 1e-5f, x, 0, 1, 8);
        for (float v : x) {
            assertEquals(0.5f, v);
        }
    }

    @Test
    void activationsMatchReference() {
        Random rnd = new Random(22);
        for (int n : LENGTHS) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) (rnd.nextGaussian() * 4);
            }
            x[0] = n > 3 ? -30f : x[0];
            float[] quick = x.clone();
            float[] exact = x.clone();
            Gelu.quickGelu(quick, 0, n);
            Gelu.gelu(exact, 0, n);
            float[] wantQuick = new float[n];
            float[] wantExact = new float[n];
            for (int i = 0; i < n; i++) {
                wantQuick[i] = GeluReference.quickGelu(x[i]);
                wantExact[i] = GeluReference.gelu(x[i]);
            }
            assertClose("quick_gelu n " + n, wantQuick, quick, 1e-6, 1e-5);
            assertClose("gelu n " + n, wantExact, exact, 1e-6, 1e-5);
        }
        // Known values of torch.nn.functional.gelu (erf form).
        float[] v = {-3f, -1f, -0.5f, 0f, 0.5f, 1f, 3f};
        float[] torch = {-0.0040496588f, -0.15865526f, -0.15426877f, 0f, 0.34573123f, 0.8413447f, 2.9959502f};
        Gelu.apply("gelu", v, 0, v.length);
        assertClose("gelu vs torch", torch, v, 1e-6, 1e-6);
    }
}
