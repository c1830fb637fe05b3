package org.mmada4j.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.mmada4j.model.ForwardState;
import org.mmada4j.model.Logits;
import org.mmada4j.model.LogitsSpec;
import org.mmada4j.model.MmadaModel;
import org.mmada4j.model.ModelConfig;
import org.mmada4j.tensor.ComputePool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmada4j bench forward}: times full forward passes (all logits, as the PyTorch peer
 * torch_bench.py) on random token ids and prints one JSON line: median/min/max ms, tokens/s and
 * GFLOP/s counted as the peer does ({@link ModelConfig#forwardFlops}). The first pass is checked
 * (finite logits of the right size) before anything is timed.
 */
@Command(name = "forward", mixinStandardHelpOptions = true,
        description = "Time forward passes; prints ms, tokens/s and GFLOP/s as one JSON line.")
public final class ForwardBenchCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model directory.")
    Path model;

    @Option(names = "--seq", defaultValue = "512", description = "Sequence length (default ${DEFAULT-VALUE}).")
    int seq;

    @Option(names = "--batch", defaultValue = "1", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", description = "Compute threads (default: available processors).")
    Integer threads;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed passes (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iters", defaultValue = "5", description = "Timed passes (default ${DEFAULT-VALUE}).")
    int iters;

    @Option(names = "--pack", description = "Pack the weights once into fp32 GEMM panels (heap: 4 bytes per parameter).")
    boolean pack;

    @Override
    public Integer call() throws Exception {
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        try (ComputePool pool = new ComputePool(t); MmadaModel m = MmadaModel.load(model, pool)) {
            ModelConfig c = m.config();
            if (pack) {
                m.packWeights();
            }
            int[] ids = new SplittableRandom(0).ints((long) batch * seq, 0, c.vocabSize()).toArray();
            ForwardState st = m.newState();
            long t0 = System.nanoTime();
            Logits first = m.forward(st, ids, batch, seq, null, LogitsSpec.all());
            double firstMs = (System.nanoTime() - t0) / 1e6;
            validate(first, c);
            for (int i = 1; i < warmup; i++) {
                m.forward(st, ids, batch, seq, null, LogitsSpec.all());
            }
            double[] ms = new double[iters];
            for (int i = 0; i < iters; i++) {
                long s = System.nanoTime();
                m.forward(st, ids, batch, seq, null, LogitsSpec.all());
                ms[i] = (System.nanoTime() - s) / 1e6;
            }
            Arrays.sort(ms);
            double med = ms.length == 0 ? firstMs : ms[ms.length / 2];
            long tokens = (long) batch * seq;
            ObjectNode out = new ObjectMapper().createObjectNode();
            out.put("bench", "forward").put("model", model.toString())
                    .put("dtype", m.weights().blocks().get(0).q().dtype().name())
                    .put("packed", pack).put("threads", t).put("batch", batch).put("seq", seq)
                    .put("params", c.parameterCount())
                    .put("ms", round(med)).put("ms_min", round(ms.length == 0 ? firstMs : ms[0]))
                    .put("ms_max", round(ms.length == 0 ? firstMs : ms[ms.length - 1]))
                    .put("ms_first", round(firstMs)).put("iters", iters)
                    .put("tokens_per_s", round(tokens / (med / 1e3)))
                    .put("gflops", round(c.forwardFlops(tokens, seq) / (med / 1e3) / 1e9));
            System.out.println(out);
        }
        return 0;
    }

    private static void validate(Logits l, ModelConfig c) {
        if (l.cols() != c.embeddingSize()) {
            throw new IllegalStateException("bench produced " + l.cols() + " logit columns, expected " + c.embeddingSize());
        }
        int n = l.batch() * l.rows() * l.cols();
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(l.data()[i])) {
                throw new IllegalStateException("non-finite logit at flat index " + i + ": " + l.data()[i]);
            }
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
