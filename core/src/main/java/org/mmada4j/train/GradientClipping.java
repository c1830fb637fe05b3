package org.mmada4j.train;

/**
 * Global-norm gradient clipping as {@code torch.nn.utils.clip_grad_norm_}: the total norm is the
 * 2-norm of the per-tensor 2-norms, and every gradient is scaled by
 * {@code min(1, maxNorm / (total + 1e-6))} — the scale is applied even when it is exactly 1
 * (a multiply by 1 is exact). Norms are accumulated in double and rounded to fp32, as torch's
 * fp32 result.
 */
public final class GradientClipping {
    private GradientClipping() {
    }

    /** The total 2-norm of all gradients. */
    public static float totalNorm(ParameterSet grads) {
        double sumOfSquares = 0;
        for (ParameterSet.Entry e : grads.entries()) {
            double s = 0;
            for (float g : e.values()) {
                s += (double) g * g;
            }
            float tensorNorm = (float) Math.sqrt(s);
            sumOfSquares += (double) tensorNorm * tensorNorm;
        }
        return (float) Math.sqrt(sumOfSquares);
    }

    /** {@code min(1, maxNorm / (total + 1e-6))} in fp32, torch's {@code clip_coef_clamped}. */
    public static float coefficient(float totalNorm, float maxNorm) {
        float coef = maxNorm / (totalNorm + 1e-6f);
        return Math.min(coef, 1f);
    }

    /** Clips in place; returns the pre-clip total norm (clip_grad_norm_'s return value). */
    public static float clip(ParameterSet grads, float maxNorm) {
        float total = totalNorm(grads);
        float coef = coefficient(total, maxNorm);
        if (coef < 1f) {
            for (ParameterSet.Entry e : grads.entries()) {
                float[] g = e.values();
                for (int i = 0; i < g.length; i++) {
                    g[i] *= coef;
                }
            }
        }
        return total;
    }
}
