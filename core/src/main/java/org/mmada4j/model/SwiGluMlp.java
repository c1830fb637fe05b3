package org.mmada4j.model;

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
    public static void forward(ComputePool pool, ModelConfig c, BlockWeights w, float[] x, BlockActivations a) {
        int t = a.tokens;
        int d = c.dModel();
        int m = c.mlpHiddenSize();
        // m = RMSNorm(x; ff_norm)
        RmsNorm.forward(pool, x, w.ffNorm(), c.rmsNormEps(), a.ffIn, a.ffRstd, t, d);
        // gate = m·Wgᵀ, up = m·Wuᵀ   [T, mlp]
        Linear.forward(pool, a.ffIn, t, w.ffProj(), a.gate, false);
        Linear.forward(pool, a.ffIn, t, w.upProj(), a.up, false);
        // act = silu(gate) ⊙ up
        RowChunks.run(pool, t, (from, to) ->
                VectorOps.siluMul(a.gate, from * m, a.up, from * m, a.act, from * m, (to - from) * m));
        // x = x + act·Wdᵀ
        Linear.forward(pool, a.act, t, w.ffOut(), x, true);
    }
}
