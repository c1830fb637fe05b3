package org.mmada4j.model;

import org.mmada4j.tensor.ActivationBackward;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.VectorOps;

/**
 * The MLP half of a LLaDA llama block: {@code x += ff_out(silu(ff_proj(m)) ⊙ up_proj(m))} with
 * {@code m = RMSNorm(x; ff_norm)}; ff_proj is the gate, up_proj the linear branch, ff_out the
 * down projection (modeling_llada.py {@code LLaDALlamaBlock.forward}, activation "silu").
 */
public final class SwiGluMlp {
    private SwiGluMlp() {
    }

    /** @param x [T, d] residual stream, updated in place; a holds ffIn, gate, up, act afterwards. */
    public static void forward(ComputePool pool, ModelConfig c, BlockWeights w, float[] x, BlockActivations a,
                               PackedBlock p) {
        int t = a.tokens;
        int d = c.dModel();
        int m = c.mlpHiddenSize();
        // m = RMSNorm(x; ff_norm)
        RmsNorm.forward(pool, x, w.ffNorm(), c.rmsNormEps(), a.ffIn, a.ffRstd, t, d);
        // gate = m·Wgᵀ, up = m·Wuᵀ   [T, mlp]
        Linear.forward(pool, a.ffIn, t, w.ffProj(), p == null ? null : p.ffProj(), a.gate, false);
        Linear.forward(pool, a.ffIn, t, w.upProj(), p == null ? null : p.upProj(), a.up, false);
        // act = silu(gate) ⊙ up
        RowChunks.run(pool, t, (from, to) ->
                VectorOps.siluMul(a.gate, from * m, a.up, from * m, a.act, from * m, (to - from) * m));
        // x = x + act·Wdᵀ
        Linear.forward(pool, a.act, t, w.ffOut(), p == null ? null : p.ffOut(), x, true);
    }

    /**
     * Backward of {@link #forward}. {@code dX} [T, d] is the gradient of the residual stream after the
     * block; it is updated in place to the gradient before the MLP (residual: {@code +=}). Reads the
     * recorded {@code mid} (MLP input) and ffIn, gate, up, act.
     */
    public static void backward(ComputePool pool, ModelConfig c, BlockWeights w, BlockActivations a, float[] dX,
                                BlockGradients g) {
        int t = a.tokens;
        int d = c.dModel();
        int m = c.mlpHiddenSize();
        // act·Wdᵀ: dAct = dX·Wd, dWd += dXᵀ·act
        float[] dAct = new float[t * m];
        Linear.backward(pool, a.act, t, w.ffOut(), dX, dAct, false, g.ffOut());
        // act = silu(gate) ⊙ up
        float[] dGate = new float[t * m];
        float[] dUp = new float[t * m];
        RowChunks.run(pool, t, (from, to) ->
                ActivationBackward.siluMul(a.gate, a.up, dAct, dGate, dUp, from * m, (to - from) * m));
        // gate = m·Wgᵀ, up = m·Wuᵀ
        float[] dFfIn = new float[t * d];
        Linear.backward(pool, a.ffIn, t, w.ffProj(), dGate, dFfIn, false, g.ffProj());
        Linear.backward(pool, a.ffIn, t, w.upProj(), dUp, dFfIn, true, g.upProj());
        // m = RMSNorm(mid; ff_norm); residual: dX += d(norm input)
        RmsNorm.backward(pool, a.mid, a.ffRstd, w.ffNorm(), dFfIn, dX, true, g.ffNorm(), t, d);
    }
}
