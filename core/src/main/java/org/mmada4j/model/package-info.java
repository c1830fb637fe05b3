/**
 * The MMaDA / LLaDA transformer: {@link org.mmada4j.model.ModelConfig} (config.json),
 * {@link org.mmada4j.model.ModelWeights} (bound strictly by checkpoint name), the layers
 * ({@link org.mmada4j.model.Embedding}, {@link org.mmada4j.model.RmsNorm},
 * {@link org.mmada4j.model.SelfAttention}, {@link org.mmada4j.model.SwiGluMlp},
 * {@link org.mmada4j.model.LmHead}) and {@link org.mmada4j.model.MmadaModel}, whose forward pass
 * reads like MMADA-REFERENCE §1.4.
 *
 * <p>Layers are one file each, forward first; a backward goes directly below its forward and reads
 * what the forward stored in the layer's {@link org.mmada4j.model.BlockActivations} (recording
 * {@link org.mmada4j.model.ForwardState}). Gradient convention (llm.c): parameter grads {@code +=}
 * (so micro-batches accumulate), activation grads {@code =}, except the residual stream {@code +=}.
 *
 * <p>Activations are fp32 and token-major {@code [B, L, d]}; weights stay in their stored dtype.
 * All arithmetic goes through the {@code tensor} kernels (no intrinsics here).
 */
package org.mmada4j.model;
