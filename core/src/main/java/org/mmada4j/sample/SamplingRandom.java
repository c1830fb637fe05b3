package org.mmada4j.sample;

/**
 * The random draws of the samplers, injected so tests can replay the reference's recorded draws
 * (golden {@code t2i_trace_multinomial}, {@code t2i_trace_gumbel}) and users get a seeded default
 * ({@link SeededRandom}). Calls happen in the reference's order, once per sampler step each.
 */
public interface SamplingRandom {
    /**
     * One categorical draw per row of {@code probs} ([rows][cols], each row a distribution):
     * {@code torch.multinomial(probs, 1)} of {@code t2i_generate}.
     */
    void multinomial(float[] probs, int rows, int cols, int[] out);

    /** Standard Gumbel noise in fp32: {@code sampling.gumbel_noise} of {@code mask_by_random_topk}. */
    void gumbel(float[] out);

    /**
     * Uniforms in (0, 1), float64: {@code torch.rand_like(logits, float64)} of {@code add_gumbel_noise}
     * (text sampling with temperature) and {@code torch.rand} of {@code remasking='random'}.
     */
    void uniform(double[] out);
}
