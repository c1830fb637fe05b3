/**
 * MMaDA's samplers over a {@link org.mmada4j.sample.MaskPredictor} (the model, or recorded logits in tests):
 * <ul>
 *   <li>{@link org.mmada4j.sample.TextSampler}: LLaDA's semi-autoregressive low-confidence remasking, exact
 *       (text, CFG, batches, infilling, early stop); {@link org.mmada4j.sample.CachedTextSampler}: Fast-dLLM's
 *       prefix/dual KV caches and threshold decoding;</li>
 *   <li>{@link org.mmada4j.sample.ImageUnderstanding}: image + question → answer (thinking mode, answer
 *       completion);</li>
 *   <li>{@link org.mmada4j.sample.ImageSampler}: MaskGIT text-to-image with CFG and
 *       {@link org.mmada4j.sample.MaskSchedule}s; {@link org.mmada4j.sample.ImageInpainting}: in/outpainting
 *       on code grids.</li>
 * </ul>
 * Randomness is injected ({@link org.mmada4j.sample.SamplingRandom}); {@link org.mmada4j.sample.SeededRandom}
 * is the users' default. Exact modes reproduce the reference (Gen-Verse/MMaDA 3cdb870) token for token.
 */
package org.mmada4j.sample;
