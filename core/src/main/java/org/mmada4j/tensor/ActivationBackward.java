package org.mmada4j.tensor;

/** Backward of the element-wise activations of {@link VectorOps}. */
public final class ActivationBackward {
    private ActivationBackward() {
    }

    /**
     * Backward of {@code act = silu(gate)·up}: with {@code σ = sigmoid(gate)},
     * {@code dGate = dAct·up·σ·(1 + gate·(1−σ))}, {@code dUp = dAct·gate·σ} (both overwritten).
     */
    public static void siluMul(float[] gate, float[] up, float[] dAct, float[] dGate, float[] dUp, int off, int n) {
        for (int i = off; i < off + n; i++) {
            float g = gate[i];
            float s = 1f / (1f + (float) Math.exp(-g));
            float d = dAct[i];
            dUp[i] = d * g * s;
            dGate[i] = d * up[i] * s * (1f + g * (1f - s));
        }
    }
}
