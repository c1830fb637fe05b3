package org.mmada4j.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.mmada4j.io.TensorSource;
import org.mmada4j.io.TensorSpec;
import org.mmada4j.model.MmadaModel;
import org.mmada4j.model.ModelConfig;
import org.mmada4j.tensor.ComputePool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmada4j inspect --model DIR}: validates a model directory (config and every tensor bound
 * by name) and prints its configuration, parameter count, dtypes and bytes on disk. Touches only
 * the headers: the weights stay unread in the mapped files, so any size inspects in a small heap.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Validate a model directory and print config, parameter count, dtypes, bytes on disk.")
public final class InspectCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model directory (config.json + safetensors).")
    Path model;

    @Override
    public Integer call() throws Exception {
        try (MmadaModel m = MmadaModel.load(model, ComputePool.shared())) {
            print(m, model, System.out);
        }
        return 0;
    }

    /** The summary printed by {@code inspect} (also the first part of {@code demo}). */
    static void print(MmadaModel m, Path dir, PrintStream out) throws Exception {
        ModelConfig c = m.config();
        TensorSource src = m.source();
        Map<String, long[]> byDtype = new TreeMap<>(); // dtype -> {tensors, elements, bytes}
        for (String name : src.names()) {
            TensorSpec s = src.spec(name);
            long[] acc = byDtype.computeIfAbsent(s.dtype().name(), k -> new long[3]);
            acc[0]++;
            acc[1] += s.elementCount();
            acc[2] += s.byteSize();
        }
        out.printf("model       %s%n", dir);
        out.printf("shape       d_model %d, n_layers %d, n_heads %d (head_dim %d, n_kv_heads %d), mlp_hidden_size %d%n",
                c.dModel(), c.nLayers(), c.nHeads(), c.headDim(), c.nKvHeads(), c.mlpHiddenSize());
        out.printf("vocabulary  vocab_size %d, embedding_size %d, llm_vocab_size %d, codebook_size %d, num_vq_tokens %d%n",
                c.vocabSize(), c.embeddingSize(), c.llmVocabSize(), c.codebookSize(), c.numVqTokens());
        out.printf("tokens      mask %d, eos %d, pad %d%n", c.maskTokenId(), c.eosTokenId(), c.padTokenId());
        out.printf("numerics    RMSNorm eps %.1e, RoPE theta %.1f, max_sequence_length %d%n",
                c.rmsNormEps(), c.ropeTheta(), c.maxSequenceLength());
        out.printf("parameters  %,d (%s)%n", c.parameterCount(), human(c.parameterCount(), ""));
        for (Map.Entry<String, long[]> e : byDtype.entrySet()) {
            long[] a = e.getValue();
            out.printf("dtype       %-5s %d tensors, %,d elements, %s%n", e.getKey(), a[0], a[1], human(a[2], "B"));
        }
        out.printf("on disk     %s in %s (%,d bytes)%n", human(src.bytesOnDisk(), "B"), src.path(), src.bytesOnDisk());
    }

    static String human(double v, String unit) {
        String[] p = {"", "K", "M", "G", "T"};
        int i = 0;
        while (v >= 1000 && i < p.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format("%.2f %s%s", v, p[i], unit).replace("  ", " ").trim();
    }
}
