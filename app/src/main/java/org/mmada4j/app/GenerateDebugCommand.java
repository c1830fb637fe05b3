package org.mmada4j.app;

import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.mmada4j.io.Npy;
import org.mmada4j.io.NpyArray;
import org.mmada4j.model.MmadaModel;
import org.mmada4j.sample.ModelPredictor;
import org.mmada4j.sample.Remasking;
import org.mmada4j.sample.SeededRandom;
import org.mmada4j.sample.TextSampler;
import org.mmada4j.sample.TextSamplingParams;
import org.mmada4j.sample.TextStepListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmada4j debug generate}: LLaDA's {@code generate()} with the reference's exact semantics on prompt ids
 * from a {@code .npy} (int64 {@code [B, P]}), writing int64 {@code [B, P+N]}. The mask id is the model config's
 * {@code mask_token_id}; no attention mask (as generate.py).
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Reference-semantics text generation over .npy prompt ids (int64 [B,P] -> [B,P+N]).")
public final class GenerateDebugCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Model directory (default models/mmada-tiny).")
    Path model;

    @Option(names = "--input", required = true, description = "Prompt ids, int64 [B, P].")
    Path input;

    @Option(names = "--output", required = true, description = "Output ids, int64 [B, P+N].")
    Path output;

    @Option(names = "--gen-length", required = true, description = "New tokens N.")
    int genLength;

    @Option(names = "--block-length", required = true, description = "Block length.")
    int blockLength;

    @Option(names = "--steps", required = true, description = "Total steps.")
    int steps;

    @Option(names = "--temperature", defaultValue = "0", description = "Gumbel temperature (default 0 = greedy).")
    double temperature;

    @Option(names = "--cfg", defaultValue = "0", description = "Text CFG scale (default 0).")
    double cfg;

    @Option(names = "--remasking", defaultValue = "low_confidence", description = "low_confidence or random.")
    String remasking;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the draws when temperature > 0 or random.")
    long seed;

    @Override
    public Integer call() throws Exception {
        TextSamplingParams p = new TextSamplingParams(genLength, blockLength, steps, temperature, cfg,
                Remasking.parse(remasking), OptionalInt.empty());
        NpyArray a = Npy.read(input);
        if (a.isFloat() || a.rank() != 2) {
            throw new IllegalArgumentException(input + ": prompt ids must be an integer array [B, P], got "
                    + (a.isFloat() ? "floats" : "rank " + a.rank()));
        }
        int b = a.dim(0);
        int len = a.dim(1);
        int[] flat = a.toInts();
        int[][] prompts = new int[b][len];
        for (int r = 0; r < b; r++) {
            System.arraycopy(flat, r * len, prompts[r], 0, len);
        }
        try (MmadaModel m = SamplingSupport.loadModel(SamplingSupport.modelDir(model))) {
            TextSampler.Result r = new TextSampler(new ModelPredictor(m), m.config().maskTokenId())
                    .generate(prompts, null, p, new SeededRandom(seed), TextStepListener.NONE);
            int out = len + genLength;
            long[] ids = new long[b * out];
            for (int row = 0; row < b; row++) {
                for (int t = 0; t < out; t++) {
                    ids[row * out + t] = r.ids()[row][t];
                }
            }
            Npy.write(output, NpyArray.ofLongs(ids, b, out));
            System.err.printf("%d x %d -> %d x %d ids, %d forward passes -> %s%n", b, len, b, out, r.forwardPasses(),
                    output);
        }
        return 0;
    }
}
