package org.mmada4j.sample;

import java.util.OptionalInt;

/**
 * Settings of LLaDA's semi-autoregressive remasking ({@code generate.py generate},
 * {@code MMadaModelLM.mmu_generate}).
 *
 * @param genLength   tokens to generate (masks appended to the prompt)
 * @param blockLength tokens per block; {@code genLength} must be a multiple
 * @param steps       total steps; a multiple of the number of blocks (steps per block = steps / blocks)
 * @param temperature Gumbel-max temperature (float64, {@code add_gumbel_noise}); 0 = greedy
 * @param cfgScale    text CFG w: {@code un + (w+1)(cond − un)}, uncond = prompt positions masked; 0 = off
 * @param remasking   confidence used to pick the committed positions
 * @param stopToken   when present: stop after a block whose last token is this id in every row
 *                    ({@code mmu_generate_fast}'s {@code eot_token})
 */
public record TextSamplingParams(int genLength, int blockLength, int steps, double temperature, double cfgScale,
                                 Remasking remasking, OptionalInt stopToken) {
    public TextSamplingParams {
        if (genLength <= 0 || blockLength <= 0 || steps <= 0) {
            throw new IllegalArgumentException("gen_length " + genLength + ", block_length " + blockLength
                    + " and steps " + steps + " must be positive");
        }
        if (genLength % blockLength != 0) {
            throw new IllegalArgumentException("gen_length " + genLength + " is not a multiple of block_length "
                    + blockLength);
        }
        int blocks = genLength / blockLength;
        if (steps % blocks != 0) {
            throw new IllegalArgumentException("steps " + steps + " is not divisible by the number of blocks "
                    + blocks + " (gen_length / block_length)");
        }
        if (!Double.isFinite(temperature) || temperature < 0) {
            throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
        }
        if (!Double.isFinite(cfgScale) || cfgScale < 0) {
            throw new IllegalArgumentException("cfg scale must be finite and >= 0, got " + cfgScale);
        }
        if (remasking == null || stopToken == null) {
            throw new IllegalArgumentException("remasking and stopToken must be given");
        }
    }

    /** Greedy, no CFG, low-confidence remasking, no early stop. */
    public static TextSamplingParams greedy(int genLength, int blockLength, int steps) {
        return new TextSamplingParams(genLength, blockLength, steps, 0, 0, Remasking.LOW_CONFIDENCE,
                OptionalInt.empty());
    }

    public int numBlocks() {
        return genLength / blockLength;
    }

    public int stepsPerBlock() {
        return steps / numBlocks();
    }

    public TextSamplingParams withStopToken(int id) {
        return new TextSamplingParams(genLength, blockLength, steps, temperature, cfgScale, remasking, OptionalInt.of(id));
    }
}
