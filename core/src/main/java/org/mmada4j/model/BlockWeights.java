package org.mmada4j.model;

import org.mmada4j.tensor.Tensor;

/**
 * The weights of one LLaDA "llama" block, views into the checkpoint (never copied).
 *
 * @param attnNorm [d]      RMSNorm before attention
 * @param q        [d, d]   q_proj
 * @param k        [d, d]   k_proj
 * @param v        [d, d]   v_proj
 * @param attnOut  [d, d]   attn_out (o_proj)
 * @param ffNorm   [d]      RMSNorm before the MLP
 * @param ffProj   [m, d]   ff_proj = gate (SiLU applied to this one)
 * @param upProj   [m, d]   up_proj (linear branch)
 * @param ffOut    [d, m]   ff_out = down
 */
public record BlockWeights(Tensor attnNorm, Tensor q, Tensor k, Tensor v, Tensor attnOut,
                           Tensor ffNorm, Tensor ffProj, Tensor upProj, Tensor ffOut) {
}
