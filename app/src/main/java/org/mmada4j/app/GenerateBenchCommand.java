package org.mmada4j.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.mmada4j.model.MmadaModel;
import org.mmada4j.sample.CachedTextSampler;
import org.mmada4j.sample.CachedTextSampler.Cache;
import org.mmada4j.sample.ModelPredictor;
import org.mmada4j.sample.Remasking;
import org.mmada4j.sample.SeededRandom;
import org.mmada4j.sample.TextSampler;
import org.mmada4j.sample.TextSamplingParams;
import org.mmada4j.sample.TextStepListener;
import org.mmada4j.tensor.ComputePool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmada4j bench generate}: times text generation on random prompt ids, one JSON line per mode:
 * forward passes (NFE), ms per sample, tokens/s (Fast-dLLM's count: generated tokens up to end-of-text, here all
 * of them as random weights emit no end-of-text reliably, over wall time) and, for the fast modes, the fraction of
 * generated tokens equal to the exact sampler's. The exact run is checked (no mask left) before anything is timed.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Time text generation (exact, prefix cache, dual cache; threshold); one JSON line per mode.")
public final class GenerateBenchCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Model directory (default models/mmada-tiny).")
    Path model;

    @Option(names = "--prompt-length", defaultValue = "128", description = "Prompt tokens (default ${DEFAULT-VALUE}).")
    int promptLength;

    @Option(names = "--gen-length", defaultValue = "256", description = "New tokens (default ${DEFAULT-VALUE}).")
    int genLength;

    @Option(names = "--block-length", defaultValue = "32", description = "Block length (default ${DEFAULT-VALUE}).")
    int blockLength;

    @Option(names = "--steps", description = "Total steps (default: gen-length, one token per step).")
    Integer steps;

    @Option(names = "--modes", defaultValue = "exact,prefix,dual",
            description = "Comma-separated: exact, prefix, dual, threshold (dual cache + --threshold).")
    String modes;

    @Option(names = "--threshold", defaultValue = "0.9", description = "τ of the threshold mode (default ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--batch", defaultValue = "1", description = "Prompts per batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--iters", defaultValue = "1", description = "Timed runs per mode (median; default ${DEFAULT-VALUE}).")
    int iters;

    @Option(names = "--threads", description = "Compute threads (default: available processors).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        int s = steps != null ? steps : genLength;
        TextSamplingParams p = new TextSamplingParams(genLength, blockLength, s, 0, 0, Remasking.LOW_CONFIDENCE,
                OptionalInt.empty());
        try (ComputePool pool = new ComputePool(t);
             MmadaModel m = SamplingSupport.packIfItFits(ModelPredictor.load(SamplingSupport.modelDir(model), pool))) {
            int mask = m.config().maskTokenId();
            int vocab = m.config().vocabSize();
            SplittableRandom r = new SplittableRandom(0);
            int[][] prompts = new int[batch][promptLength];
            for (int[] row : prompts) {
                for (int i = 0; i < promptLength; i++) {
                    int id;
                    do {
                        id = r.nextInt(vocab);
                    } while (id == mask);
                    row[i] = id;
                }
            }
            int[][] exact = null;
            for (String mode : modes.split(",")) {
                double[] ms = new double[iters];
                TextSampler.Result res = null;
                for (int i = 0; i < iters; i++) {
                    long t0 = System.nanoTime();
                    res = run(m, mode.trim(), prompts, p, mask);
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
                Arrays.sort(ms);
                double med = ms[iters / 2];
                if (mode.trim().equals("exact")) {
                    exact = res.ids();
                    for (int[] row : exact) {
                        if (Arrays.stream(row).anyMatch(x -> x == mask)) {
                            System.err.println("note: the exact sampler left MASK tokens (the model predicted MASK)");
                        }
                    }
                }
                long generated = Arrays.stream(res.generated()).sum();
                ObjectNode out = SamplingSupport.JSON.createObjectNode();
                out.put("bench", "generate").put("mode", mode.trim()).put("model", SamplingSupport.modelDir(model).toString())
                        .put("dtype", m.weights().blocks().get(0).q().dtype().name()).put("threads", t)
                        .put("batch", batch).put("prompt_length", promptLength).put("gen_length", genLength)
                        .put("block_length", blockLength).put("steps", s)
                        .put("nfe", res.forwardPasses()).put("ms", round(med)).put("ms_per_sample", round(med / batch))
                        .put("tokens_per_s", round(generated / (med / 1e3)));
                if (mode.trim().equals("threshold")) {
                    out.put("threshold", threshold);
                }
                if (exact != null && !mode.trim().equals("exact")) {
                    out.put("agreement_with_exact", round(agreement(exact, res.ids(), promptLength)));
                }
                System.out.println(out);
            }
        }
        return 0;
    }

    private TextSampler.Result run(MmadaModel m, String mode, int[][] prompts, TextSamplingParams p, int mask) {
        return switch (mode) {
            case "exact" -> new TextSampler(new ModelPredictor(m), mask)
                    .generate(prompts, null, p, new SeededRandom(0), TextStepListener.NONE);
            case "prefix", "dual", "none" -> new CachedTextSampler(m, mask).generate(prompts, null, p,
                    new CachedTextSampler.Options(Cache.parse(mode), 0, -1), new SeededRandom(0), TextStepListener.NONE);
            case "threshold" -> new CachedTextSampler(m, mask).generate(prompts, null, p,
                    new CachedTextSampler.Options(Cache.DUAL, threshold, -1), new SeededRandom(0),
                    TextStepListener.NONE);
            default -> throw new IllegalArgumentException("unknown mode '" + mode
                    + "' (expected exact, prefix, dual, none, threshold)");
        };
    }

    private static double agreement(int[][] a, int[][] b, int from) {
        long same = 0;
        long n = 0;
        for (int r = 0; r < a.length; r++) {
            for (int t = from; t < a[r].length; t++) {
                same += a[r][t] == b[r][t] ? 1 : 0;
                n++;
            }
        }
        return n == 0 ? 1 : (double) same / n;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
