package org.mmada4j.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.mmada4j.data.ByteLevelTokenizer;
import org.mmada4j.model.CheckpointNames;
import org.mmada4j.model.ModelConfig;
import org.mmada4j.model.RandomInit;
import org.mmada4j.sample.Remasking;
import org.mmada4j.sample.TextSamplingParams;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.DType;
import org.mmada4j.tensor.Tensor;
import org.mmada4j.train.AdamW;
import org.mmada4j.train.ModelTrainer;
import org.mmada4j.train.ParameterSet;
import org.mmada4j.train.Reward;
import org.mmada4j.train.SeededRandom;
import org.mmada4j.train.UniGrpo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmada4j debug grpo-toy}: UniGRPO against its ablations on a toy task with a checkable reward
 * (the fraction of lowercase letters in an 8-token answer to "write:", from a random tiny model) —
 * uniformly spaced mask ratios, i.i.d. random ratios, and the d1-style noising (answer fully masked,
 * prompt masked at 15 %) — from the same initial weights and seeds; writes each variant's reward per
 * step to {@code rewards.jsonl} and the curves to {@code rewards.png} (the paper's Figures 3 and 4).
 */
@Command(name = "grpo-toy", mixinStandardHelpOptions = true,
        description = "UniGRPO vs random mask ratios vs d1 on a toy reward; writes rewards.jsonl and rewards.png.")
public final class GrpoToyCommand implements Callable<Integer> {
    @Option(names = "--steps", defaultValue = "30", description = "GRPO steps per variant (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--seeds", defaultValue = "1", description = "Runs per variant, averaged (default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--output", defaultValue = "grpo-toy", description = "Output directory (default ${DEFAULT-VALUE}).")
    Path output;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(output);
        Map<String, boolean[]> variants = new LinkedHashMap<>();
        variants.put("UniGRPO (uniformly spaced ratios)", new boolean[] {true, false});
        variants.put("random ratios", new boolean[] {false, false});
        variants.put("d1-style noising", new boolean[] {true, true});
        Map<String, List<double[]>> curves = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        try (BufferedWriter out = Files.newBufferedWriter(output.resolve("rewards.jsonl"))) {
            for (Map.Entry<String, boolean[]> v : variants.entrySet()) {
                double[] mean = new double[steps];
                for (int s = 0; s < seeds; s++) {
                    List<Double> c = run(v.getValue()[0], v.getValue()[1], 7 + s);
                    for (int i = 0; i < steps; i++) {
                        mean[i] += c.get(i) / seeds;
                    }
                }
                List<double[]> pts = new ArrayList<>();
                for (int i = 0; i < steps; i++) {
                    pts.add(new double[] {i + 1, mean[i]});
                    out.write(json.writeValueAsString(Map.of("variant", v.getKey(), "step", i + 1, "reward", mean[i])));
                    out.newLine();
                }
                curves.put(v.getKey(), pts);
                double last = 0;
                for (int i = Math.max(0, steps - 5); i < steps; i++) {
                    last += mean[i] / Math.min(5, steps);
                }
                System.out.printf("%-36s first %.3f  last-5 mean %.3f%n", v.getKey(), mean[0], last);
            }
        }
        LossCurvePlot.render(curves, "toy reward vs GRPO step (mean of " + seeds + " seed(s))", output.resolve("rewards.png"));
        System.out.println("curves: " + output.resolve("rewards.png"));
        return 0;
    }

    private List<Double> run(boolean uniformlySpaced, boolean d1, long seed) {
        ComputePool pool = ComputePool.shared();
        ModelConfig c = new ModelConfig(32, 2, 2, 2, 64, 384, 384, 1e-5f, 10000.0, 64, 288, 0, 0, 0, 257, 257);
        Map<String, Tensor> init = new RandomInit(c, DType.F32, seed).materialize();
        ParameterSet params = new ParameterSet();
        for (Map.Entry<String, long[]> e : CheckpointNames.expectedShapes(c).entrySet()) {
            params.add(e.getKey(), e.getValue(), init.get(e.getKey()).toFloatArray());
        }
        ModelTrainer policy = new ModelTrainer(c, params, pool);
        ModelTrainer ref = new ModelTrainer(c, params.copy(), pool);
        AdamW opt = new AdamW(new AdamW.Hyper(0.9, 0.999, 1e-8, 0), params);
        Reward letters = (resp, refAnswer) -> resp.chars().filter(ch -> ch >= 'a' && ch <= 'z').count() / 8.0;
        UniGrpo grpo = new UniGrpo(policy, ref, opt, letters, new ByteLevelTokenizer(0, 293, Map.of()), 288,
                new UniGrpo.Config(8, 2, 0.2, 0.01, uniformlySpaced, d1, 0.15f,
                        new TextSamplingParams(8, 8, 8, 1.0, 0, Remasking.LOW_CONFIDENCE, OptionalInt.empty())), pool);
        SeededRandom rng = new SeededRandom(seed * 31 + 3);
        org.mmada4j.sample.SeededRandom sampling = new org.mmada4j.sample.SeededRandom(seed * 31 + 4);
        List<UniGrpo.Prompt> prompts = List.of(new UniGrpo.Prompt(new int[] {256, 'w', 'r', 'i', 't', 'e', ':'}, ""));
        List<Double> curve = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            curve.add(grpo.step(prompts, 3e-3, 1f, rng, sampling).meanReward());
        }
        return curve;
    }
}
