package org.mmada4j.train;

import org.mmada4j.tensor.ComputePool;

/**
 * AdamW with decoupled weight decay, op for op as torch's single-tensor {@code _single_tensor_adamw}
 * (torch/optim/adamw.py), in fp32 on fp32 master weights:
 * <pre>
 *   p ← p·(1 − lr·wd)
 *   m ← m·β1 + (1−β1)·g            (fused multiply-add, as ATen's vectorised add with alpha)
 *   v ← v·β2 + (1−β2)·g·g
 *   p ← p − lr/(1−β1^t) · m / (√v / √(1−β2^t) + eps)
 * </pre>
 * Scalars are computed in double as Python does and rounded to fp32 where torch passes them to a
 * fp32 kernel. The moments have the parameters' layout; {@link #step()} counts updates.
 */
public final class AdamW {
    /** Hyper-parameters (the reference: β (0.9, 0.999), eps 1e-8, weight decay 0.01). */
    public record Hyper(double beta1, double beta2, double eps, double weightDecay) {
        public static Hyper reference() {
            return new Hyper(0.9, 0.999, 1e-8, 0.01);
        }
    }

    private final Hyper hyper;
    private final ParameterSet m;
    private final ParameterSet v;
    private long step;

    public AdamW(Hyper hyper, ParameterSet params) {
        this(hyper, params.zerosLike(), params.zerosLike(), 0);
    }

    /** Resumes from saved moments and step count. */
    public AdamW(Hyper hyper, ParameterSet m, ParameterSet v, long step) {
        m.requireSameLayout(v, "AdamW second moment");
        this.hyper = hyper;
        this.m = m;
        this.v = v;
        this.step = step;
    }

    public Hyper hyper() {
        return hyper;
    }

    public ParameterSet firstMoment() {
        return m;
    }

    public ParameterSet secondMoment() {
        return v;
    }

    public long step() {
        return step;
    }

    /** One update of every parameter with learning rate {@code lr}. */
    public void update(ComputePool pool, ParameterSet params, ParameterSet grads, double lr) {
        params.requireSameLayout(grads, "gradients");
        params.requireSameLayout(m, "AdamW first moment");
        step++;
        float decay = (float) (1 - lr * hyper.weightDecay());
        float beta1 = (float) hyper.beta1();
        float oneMinusBeta1 = (float) (1 - hyper.beta1());
        float beta2 = (float) hyper.beta2();
        float oneMinusBeta2 = (float) (1 - hyper.beta2());
        double biasCorrection1 = 1 - Math.pow(hyper.beta1(), step);
        double biasCorrection2 = 1 - Math.pow(hyper.beta2(), step);
        float negStepSize = (float) -(lr / biasCorrection1);
        float bc2Sqrt = (float) Math.sqrt(biasCorrection2);
        float eps = (float) hyper.eps();
        var entries = params.entries();
        pool.parallelFor(entries.size(), t -> {
            String name = entries.get(t).name();
            float[] p = entries.get(t).values();
            float[] g = grads.get(name);
            float[] mt = m.get(name);
            float[] vt = v.get(name);
            for (int i = 0; i < p.length; i++) {
                float gi = g[i];
                p[i] = p[i] * decay;
                mt[i] = Math.fma(gi, oneMinusBeta1, mt[i] * beta1);
                vt[i] = vt[i] * beta2 + oneMinusBeta2 * gi * gi;
                float denom = (float) Math.sqrt(vt[i]) / bc2Sqrt + eps;
                p[i] = p[i] + negStepSize * (mt[i] / denom);
            }
        });
    }
}
