package org.mmada4j.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.mmada4j.model.CheckpointNames;
import org.mmada4j.model.ModelConfig;
import org.mmada4j.model.RandomInit;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.DType;
import org.mmada4j.tensor.Tensor;
import org.mmada4j.train.AdamW;
import org.mmada4j.train.ModelTrainer;
import org.mmada4j.train.ParameterSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmada4j bench train}: times full training steps — forward, mean cross-entropy over every
 * position and the whole vocabulary, backward, global-norm clipping, AdamW — in fp32 on random ids,
 * the same step as {@code torch_bench.py --mode train}, and prints one JSON line (median ms, tokens/s).
 * Shapes: the peer's presets ({@code 100m}: 12 layers, d 768, 12 heads, mlp 2304, vocab 8192; {@code tiny}).
 * The first step is checked (finite loss near ln(vocab)) before anything is timed.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Time fp32 training steps (fwd + bwd + clip + AdamW); prints ms and tokens/s as one JSON line.")
public final class TrainBenchCommand implements Callable<Integer> {
    @Option(names = "--preset", defaultValue = "100m", description = "100m | tiny (default ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--seq", defaultValue = "512", description = "Sequence length (default ${DEFAULT-VALUE}).")
    int seq;

    @Option(names = "--batch", defaultValue = "1", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", description = "Compute threads (default: available processors).")
    Integer threads;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed steps (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iters", defaultValue = "3", description = "Timed steps (default ${DEFAULT-VALUE}).")
    int iters;

    @Override
    public Integer call() throws Exception {
        ModelConfig c = switch (preset) {
            case "100m" -> new ModelConfig(768, 12, 12, 12, 2304, 8192, 8192, 1e-5f, 500000.0, 4096, 8191, 0, 0, 0, -1, -1);
            case "tiny" -> new ModelConfig(64, 2, 4, 4, 192, 384, 384, 1e-5f, 500000.0, 4096, 288, 0, 0, 0, -1, -1);
            default -> throw new IllegalArgumentException("--preset must be 100m or tiny, got " + preset);
        };
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        try (ComputePool pool = new ComputePool(t)) {
            Map<String, Tensor> init = new RandomInit(c, DType.F32, 0).materialize();
            ParameterSet params = new ParameterSet();
            for (Map.Entry<String, long[]> e : CheckpointNames.expectedShapes(c).entrySet()) {
                params.add(e.getKey(), e.getValue(), init.get(e.getKey()).toFloatArray());
            }
            ModelTrainer trainer = new ModelTrainer(c, params, pool);
            AdamW opt = new AdamW(new AdamW.Hyper(0.9, 0.999, 1e-8, 0.01), params);
            SplittableRandom rnd = new SplittableRandom(0);
            int n = batch * seq;
            int[] ids = rnd.ints(n, 0, c.vocabSize()).toArray();
            int[] labels = rnd.ints(n, 0, c.vocabSize()).toArray();
            double[] w = new double[n];
            Arrays.fill(w, 1.0 / n);
            double firstLoss = 0;
            double[] ms = new double[iters];
            for (int i = 0; i < warmup + iters; i++) {
                long s = System.nanoTime();
                double loss = trainer.accumulateCrossEntropy(ids, labels, w, batch, seq, null);
                trainer.optimizerStep(opt, 1e-4, 1f);
                double elapsed = (System.nanoTime() - s) / 1e6;
                if (i == 0) {
                    firstLoss = loss;
                    if (!Double.isFinite(loss) || Math.abs(loss - Math.log(c.vocabSize())) > 3) {
                        throw new IllegalStateException("first training step has loss " + loss + ", expected about ln(V) = "
                                + Math.log(c.vocabSize()));
                    }
                }
                if (i >= warmup) {
                    ms[i - warmup] = elapsed;
                }
            }
            Arrays.sort(ms);
            double med = ms[ms.length / 2];
            ObjectNode out = new ObjectMapper().createObjectNode();
            
            out.put("bench", "train").put("preset", preset).put("dtype", "fp32").put("threads", t)
                    .put("batch", batch).put("seq", seq).put("params", c.parameterCount())
                    .put("first_loss", Math.round(firstLoss * 1e4) / 1e4)
                    .put("ms", Math.round(med * 10) / 10.0).put("ms_min", Math.round(ms[0] * 10) / 10.0)
                    .put("ms_max", Math.round(ms[ms.length - 1] * 10) / 10.0).put("iters", iters)
                    .put("tokens_per_s", Math.round(n / (med / 1e3) * 10) / 10.0);
            System.out.println(out);
        }
        return 0;
    }
}
