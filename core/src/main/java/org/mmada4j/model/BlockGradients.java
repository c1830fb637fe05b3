package org.mmada4j.model;

/**
 * Gradients of one block's weights, fp32, same shapes as {@link BlockWeights}; added to ({@code +=})
 * by the backward so micro-batches accumulate.
 */
public record BlockGradients(float[] attnNorm, float[] q, float[] k, float[] v, float[] attnOut,
                             float[] ffNorm, float[] ffProj, float[] upProj, float[] ffOut) {
}
