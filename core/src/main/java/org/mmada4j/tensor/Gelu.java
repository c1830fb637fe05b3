package org.mmada4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two GELU activations CLIP checkpoints name in {@code hidden_act}, in place over fp32 arrays
 * (Vector API); scalar twins in {@link GeluReference}.
 *
 * <ul>
 *   <li>{@link #quickGelu}: {@code x·sigmoid(1.702·x)}, OpenAI CLIP's ({@code quick_gelu});</li>
 *   <li>{@link #gelu}: the exact {@code x·Φ(x) = x/2·(1 + erf(x/√2))} ({@code gelu}, PyTorch's default,
 *       not the tanh form). erf is Abramowitz–Stegun 7.1.26 (|error| ≤ 1.5e-7), built on
 *       {@link VectorMath#exp} so the bits do not depend on JIT state.</li>
 * </ul>
 */
public final class Gelu {
    private Gelu() {
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final float QUICK = 1.702f;
    private static final float INV_SQRT2 = 0.70710678118654752f;
    private static final float P = 0.3275911f;
    private static final float A1 = 0.254829592f;
    private static final float A2 = -0.284496736f;
    private static final float A3 = 1.421413741f;
    private static final float A4 = -1.453152027f;
    private static final float A5 = 1.061405429f;

    /** Applies the activation named by a Hugging Face {@code hidden_act}. */
    public static void apply(String hiddenAct, float[] x, int off, int n) {
        switch (hiddenAct) {
            case "quick_gelu" -> quickGelu(x, off, n);
            case "gelu" -> gelu(x, off, n);
            default -> throw new IllegalArgumentException("unsupported hidden_act '" + hiddenAct
                    + "' (supported: quick_gelu, gelu)");
        }
    }

    /** {@code x ← x·sigmoid(1.702·x)} over {@code [off, off+n)}. */
    public static void quickGelu(float[] x, int off, int n) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, off + i);
            FloatVector e = VectorMath.exp(v.mul(-QUICK));
            v.div(e.add(1f)).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            float v = x[off + i];
            x[off + i] = v / (1f + VectorMath.exp(-QUICK * v));
        }
    }

    /** {@code x ← x/2·(1 + erf(x/√2))} over {@code [off, off+n)}. */
    public static void gelu(float[] x, int off, int n) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, off + i);
            FloatVector z = v.mul(INV_SQRT2);
            FloatVector a = z.abs();
            FloatVector t = a.fma(P, 1f);
            t = FloatVector.broadcast(F, 1f).div(t);
            FloatVector poly = t.fma(A5, A4);
            poly = poly.fma(t, FloatVector.broadcast(F, A3));
            poly = poly.fma(t, FloatVector.broadcast(F, A2));
            poly = poly.fma(t, FloatVector.broadcast(F, A1));
            poly = poly.mul(t);
            FloatVector erfAbs = poly.mul(VectorMath.exp(a.mul(a).neg())).neg().add(1f);
            FloatVector erf = erfAbs.blend(erfAbs.neg(), z.compare(VectorOperators.LT, 0f));
            v.mul(0.5f).mul(erf.add(1f)).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] = gelu(x[off + i]);
        }
    }

    /** Scalar form of one lane of {@link #gelu(float[], int, int)} (same operations). */
    static float gelu(float v) {
        float z = v * INV_SQRT2;
        float a = Math.abs(z);
        float t = 1f / Math.fma(a, P, 1f);
        float poly = Math.fma(t, A5, A4);
        poly = Math.fma(poly, t, A3);
        poly = Math.fma(poly, t, A2);
        poly = Math.fma(poly, t, A1);
        poly = poly * t;
        float erfAbs = 1f - poly * VectorMath.exp(-(a * a));
        float erf = z < 0f ? -erfAbs : erfAbs;
        return v * 0.5f * (erf + 1f);
    }
}
