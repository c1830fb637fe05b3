package org.mmada4j.sample;

/**
 * Settings of MaskGIT text-to-image decoding ({@code t2i_generate}); defaults of inference_t2i.py / app.py:
 * 15 steps, guidance 3.5, temperature 1.0, cosine.
 *
 * @param steps       decoding steps T
 * @param guidance    CFG scale w: {@code (1+w)·cond − w·uncond}; 0 disables the unconditional row
 * @param temperature τ0 of the Gumbel noise on the re-masking scores (compounds as τ·(1−r) every step)
 * @param schedule    mask-ratio schedule
 */
public record ImageSamplingParams(int steps, float guidance, float temperature, MaskSchedule schedule) {
    public ImageSamplingParams {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        if (!Float.isFinite(guidance) || guidance < 0) {
            throw new IllegalArgumentException("guidance scale must be finite and >= 0, got " + guidance);
        }
        if (!Float.isFinite(temperature) || temperature < 0) {
            throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
        }
        if (schedule == null) {
            throw new IllegalArgumentException("schedule must be given");
        }
    }

    public static ImageSamplingParams defaults() {
        return new ImageSamplingParams(15, 3.5f, 1.0f, MaskSchedule.COSINE);
    }
}
