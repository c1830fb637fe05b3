package org.mmada4j.tensor;

/**
 * Bidirectional scaled-dot-product attention (no causal mask), as {@code F.scaled_dot_product_attention}
 * with scale {@code 1/sqrt(headDim)}.
 *
 * <p>Layout: q, k, v and out are token-major {@code [B, L, H·D]} (the layout a linear layer produces;
 * head h occupies columns {@code [h·D, (h+1)·D)}). Keys may be longer than queries ({@code lk} ≥ 0,
 * for cached prefixes and blocks): query i sits at key position {@code queryStart + i}, which is how
 * the mask indexes it. Without a cache, {@code lq == lk} and {@code queryStart == 0}.
 */
public final class Attention {
    private Attention() {
    }

    /**
     * @param q   [batch, lq, heads·headDim]
     * @param k   [batch, lk, heads·headDim]
     * @param v   [batch, lk, heads·headDim]
     * @param out [batch, lq, heads·headDim]
     */
    public static void forward(ComputePool pool, float[] q, float[] k, float[] v, float[] out,
                               int batch, int lq, int lk, int queryStart, int heads, int headDim, AttentionMask mask) {
        AttentionReference.forward(q, k, v, out, batch, lq, lk, queryStart, heads, headDim, mask);
    }
}
