package org.mmada4j.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.mmada4j.model.MmadaModel;
import org.mmada4j.prompt.Prompting;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.prompt.TaskSequence;
import org.mmada4j.sample.ImageSampler;
import org.mmada4j.sample.ImageSamplingParams;
import org.mmada4j.sample.ImageStepListener;
import org.mmada4j.sample.MaskPredictor;
import org.mmada4j.sample.MaskSchedule;
import org.mmada4j.sample.ModelPredictor;
import org.mmada4j.sample.PrefixCachedPredictor;
import org.mmada4j.sample.SeededRandom;
import org.mmada4j.tensor.ComputePool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmada4j bench imagine}: times MaskGIT t2i decoding with CFG on a random prompt, one JSON line per mode:
 * {@code full} (every position of both CFG rows, as the reference), {@code exact} (left padding skipped, exact),
 * {@code prefix} (text-prefix cache filled at the first step; approximate), with the codes' agreement with full.
 */
@Command(name = "imagine", mixinStandardHelpOptions = true,
        description = "Time text-to-image decoding (full, exact padding skip, prefix cache); one JSON line per mode.")
public final class ImagineBenchCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Model directory (default models/mmada-tiny).")
    Path model;

    @Option(names = "--prompt-length", defaultValue = "16", description = "Prompt tokens (default ${DEFAULT-VALUE}).")
    int promptLength;

    @Option(names = "--max-text-len", defaultValue = "512", description = "t2i text area T (default ${DEFAULT-VALUE}).")
    int maxTextLen;

    @Option(names = "--steps", defaultValue = "15", description = "Steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--guidance", defaultValue = "3.5", description = "CFG scale (default ${DEFAULT-VALUE}).")
    float guidance;

    @Option(names = "--modes", defaultValue = "full,exact,prefix", description = "Comma-separated: full, exact, prefix.")
    String modes;

    @Option(names = "--threads", description = "Compute threads (default: available processors).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        ImageSamplingParams p = new ImageSamplingParams(steps, guidance, 1f, MaskSchedule.COSINE);
        Path dir = SamplingSupport.modelDir(model);
        try (ComputePool pool = new ComputePool(t); MmadaModel m = SamplingSupport.packIfItFits(ModelPredictor.load(dir, pool))) {
            SpecialTokens tok = SamplingSupport.tokens(dir, null);
            Prompting pr = new Prompting(tok);
            SplittableRandom r = new SplittableRandom(0);
            int[] text = new int[promptLength];
            for (int i = 0; i < promptLength; i++) {
                text[i] = r.nextInt(Math.min(tok.imageOffset(), tok.bos()));
            }
            TaskSequence c = pr.t2iGen(text, maxTextLen, tok.numVqTokens());
            TaskSequence u = pr.t2iUncond(maxTextLen, tok.numVqTokens());
            int[] reference = null;
            for (String mode : modes.split(",")) {
                MaskPredictor predictor = switch (mode.trim()) {
                    case "full" -> new ModelPredictor(m, false);
                    case "exact" -> new ModelPredictor(m, true);
                    case "prefix" -> new PrefixCachedPredictor(m, maxTextLen + 1, Integer.MAX_VALUE);
                    default -> throw new IllegalArgumentException("unknown mode '" + mode + "' (full, exact, prefix)");
                };
                long t0 = System.nanoTime();
                ImageSampler.Result res = new ImageSampler(predictor, tok).generate(new int[][] {c.ids()},
                        new int[][] {c.attentionMask()}, new int[][] {u.ids()}, new int[][] {u.attentionMask()},
                        maxTextLen + 1, p, new SeededRandom(1), ImageStepListener.NONE);
                double ms = (System.nanoTime() - t0) / 1e6;
                ObjectNode out = SamplingSupport.JSON.createObjectNode();
                out.put("bench", "imagine").put("mode", mode.trim()).put("model", dir.toString()).put("threads", t)
                        .put("sequence", c.length()).put("prompt_length", promptLength).put("steps", steps)
                        .put("nfe", res.forwardPasses()).put("ms", Math.round(ms * 10) / 10.0)
                        .put("ms_per_step", Math.round(ms / steps * 10) / 10.0);
                if (reference == null) {
                    reference = res.codes()[0];
                } else {
                    int same = 0;
                    for (int i = 0; i < reference.length; i++) {
                        same += reference[i] == res.codes()[0][i] ? 1 : 0;
                    }
                    out.put("agreement_with_first_mode", Math.round(1000.0 * same / reference.length) / 1000.0);
                }
                System.out.println(out);
            }
        }
        return 0;
    }
}
