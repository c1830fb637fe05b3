package org.mmada4j.app;

import java.util.OptionalInt;
import org.mmada4j.model.MmadaModel;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.sample.CachedTextSampler;
import org.mmada4j.sample.ModelPredictor;
import org.mmada4j.sample.Remasking;
import org.mmada4j.sample.SeededRandom;
import org.mmada4j.sample.TextSampler;
import org.mmada4j.sample.TextSamplingParams;
import org.mmada4j.sample.TextStepListener;
import picocli.CommandLine.Option;

/** The text-sampling options shared by generate, describe and inpaint (a picocli mixin). */
final class TextSamplingOptions {
    @Option(names = "--gen-length", defaultValue = "128", description = "New tokens (default ${DEFAULT-VALUE}).")
    int genLength;

    @Option(names = "--block-length", defaultValue = "32", description = "Block length (default ${DEFAULT-VALUE}).")
    int blockLength;

    @Option(names = "--steps", defaultValue = "128", description = "Total steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--temperature", defaultValue = "0", description = "Gumbel temperature (default ${DEFAULT-VALUE}: greedy).")
    double temperature;

    @Option(names = "--cfg", defaultValue = "0", description = "Text CFG scale (default ${DEFAULT-VALUE}).")
    double cfg;

    @Option(names = "--remasking", defaultValue = "low_confidence", description = "low_confidence or random.")
    String remasking;

    @Option(names = "--fast", defaultValue = "none",
            description = "KV cache: none (exact), prefix or dual (Fast-dLLM, approximate; default ${DEFAULT-VALUE}).")
    String fast;

    @Option(names = "--threshold", defaultValue = "0",
            description = "Confidence threshold for parallel decoding (0 = exact schedule; e.g. 0.9).")
    double threshold;

    @Option(names = "--no-stop", description = "Decode every block even after end-of-text.")
    boolean noStop;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    TextSamplingParams params(SpecialTokens tok) {
        return new TextSamplingParams(genLength, blockLength, steps, temperature, cfg, Remasking.parse(remasking),
                noStop ? OptionalInt.empty() : OptionalInt.of(tok.eos()));
    }

    /** Runs the exact sampler, or the cached one when --fast/--threshold ask for it. */
    TextSampler.Result generate(MmadaModel m, SpecialTokens tok, int[] prompt, TextStepListener listener) {
        TextSamplingParams p = params(tok);
        CachedTextSampler.Cache cache = CachedTextSampler.Cache.parse(fast);
        if (cache == CachedTextSampler.Cache.NONE && threshold == 0) {
            return new TextSampler(new ModelPredictor(m), tok.mask())
                    .generate(new int[][] {prompt}, null, p, new SeededRandom(seed), listener);
        }
        return new CachedTextSampler(m, tok.mask()).generate(new int[][] {prompt}, null, p,
                new CachedTextSampler.Options(cache, threshold, noStop ? -1 : tok.eos()), new SeededRandom(seed),
                listener);
    }
}
