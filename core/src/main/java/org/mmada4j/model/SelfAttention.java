package org.mmada4j.model;

import org.mmada4j.tensor.AttentionBackward;
import org.mmada4j.tensor.Attention;
import org.mmada4j.tensor.AttentionMask;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.Rope;

/**
 * The attention half of a LLaDA llama block (modeling_llada.py {@code LLaDALlamaBlock.forward}):
 * pre-norm, separate q/k/v projections, RoPE on q and k, bidirectional scaled-dot-product attention
 * with an optional bias, output projection added to the residual stream.
 *
 * <p>Works on a window of positions {@code [start, end)} of sequences of length L: queries are the
 * window's; keys and values are the window's own (full pass, start = 0, end = L) or, with a
 * {@link KvCache}, the cached ones of all L positions after the window's fresh ones are written in.
 */
public final class SelfAttention {
    private SelfAttention() {
    }

    /**
     * @param x     [B, W, d] residual stream of the window, updated in place ({@code x += attn·Woᵀ})
     * @param a     activation record, holds attnIn, q, k, v, attn afterwards
     * @param cache null for a full pass; otherwise keys/values of all positions, window written in
     * @param p     the block's packed weights, or null to read the stored ones
     */
    public static void forward(ComputePool pool, ModelConfig c, BlockWeights w, Rope rope, int layer,
                               float[] x, BlockActivations a, int batch, int length, int start, int end,
                               AttentionMask mask, KvCache cache, PackedBlock p) {
        int t = a.tokens;
        int window = end - start;
        int d = c.dModel();
        // a = RMSNorm(x; attn_norm), fp32
        RmsNorm.forward(pool, x, w.attnNorm(), c.rmsNormEps(), a.attnIn, a.attnRstd, t, d);
        // q, k, v = a·Wqᵀ, a·Wkᵀ, a·Wvᵀ   [B, W, H·D]
        Linear.forward(pool, a.attnIn, t, w.q(), p == null ? null : p.q(), a.q, false);
        Linear.forward(pool, a.attnIn, t, w.k(), p == null ? null : p.k(), a.k, false);
        Linear.forward(pool, a.attnIn, t, w.v(), p == null ? null : p.v(), a.v, false);
        // q, k = RoPE(q), RoPE(k) at absolute positions start..end-1 (rotate-half, fp32)
        rope.apply(a.q, t, window, start, c.nHeads());
        rope.apply(a.k, t, window, start, c.nKvHeads());
        // keys and values: the window's own, or every position's from the cache (window refreshed)
        float[] keys = a.k;
        float[] values = a.v;
        int keyLength = window;
        if (cache != null) {
            cache.write(layer, a.k, a.v, start, end);
            keys = cache.k[layer];
            values = cache.v[layer];
            keyLength = length;
        }
        // o = softmax(q·kᵀ/√D + bias)·v, no causal mask
        Attention.forward(pool, a.q, keys, values, a.attn, batch, window, keyLength, start,
                c.nHeads(), c.headDim(), mask);
        // x = x + o·Woᵀ
        Linear.forward(pool, a.attn, t, w.attnOut(), p == null ? null : p.attnOut(), x, true);
    }

    /**
     * Backward of a full-sequence {@link #forward} (no cache). {@code dX} [T, d] is the gradient of the
     * residual stream after the attention half; updated in place to the gradient of the block input.
     * Reads the recorded block {@code input}, attnIn, q, k (after RoPE), v and attn.
     */
    public static void backward(ComputePool pool, ModelConfig c, BlockWeights w, Rope rope,
                                BlockActivations a, float[] dX, BlockGradients g, int batch, int length,
                                AttentionMask mask) {
        if (c.nKvHeads() != c.nHeads()) {
            throw new UnsupportedOperationException("backward supports n_kv_heads == n_heads only, got "
                    + c.nKvHeads() + " and " + c.nHeads());
        }
        int t = a.tokens;
        int d = c.dModel();
        // x += o·Woᵀ: dO = dX·Wo, dWo += dXᵀ·o
        float[] dAttn = new float[t * d];
        Linear.backward(pool, a.attn, t, w.attnOut(), dX, dAttn, false, g.attnOut());
        // o = softmax(q·kᵀ/√D + bias)·v
        float[] dq = new float[t * d];
        float[] dk = new float[t * d];
        float[] dv = new float[t * d];
        AttentionBackward.backward(pool, a.q, a.k, a.v, dAttn, dq, dk, dv, batch, length, c.nHeads(), c.headDim(), mask);
        // q, k = RoPE(q), RoPE(k): rotate the gradients back
        rope.applyInverse(dq, t, length, 0, c.nHeads());
        rope.applyInverse(dk, t, length, 0, c.nKvHeads());
        // q, k, v = a·Wᵀ
        float[] dIn = new float[t * d];
        Linear.backward(pool, a.attnIn, t, w.q(), dq, dIn, false, g.q());
        Linear.backward(pool, a.attnIn, t, w.k(), dk, dIn, true, g.k());
        Linear.backward(pool, a.attnIn, t, w.v(), dv, dIn, true, g.v());
        // a = RMSNorm(input; attn_norm); residual: dX += d(norm input)
        RmsNorm.backward(pool, a.input, a.attnRstd, w.attnNorm(), dIn, dX, true, g.attnNorm(), t, d);
    }
}
