package org.mmada4j.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.mmada4j.model.ForwardState;
import org.mmada4j.model.Logits;
import org.mmada4j.model.LogitsSpec;
import org.mmada4j.model.MmadaModel;
import org.mmada4j.model.ModelConfig;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.VectorOps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmada4j demo}: the README's main job for now — inspect the bundled tiny model and run one
 * forward pass on a sequence whose second half is [MASK], printing the model's guesses. The tiny
 * model has random weights: the guesses show the machinery, not language.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Inspect the bundled tiny model and run a forward pass on a partly masked sequence.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Model directory (default: models/mmada-tiny next to the launcher or in the working directory).")
    Path model;

    @Option(names = "--length", defaultValue = "32", description = "Sequence length (default ${DEFAULT-VALUE}).")
    int length;

    @Override
    public Integer call() throws Exception {
        Path dir = model != null ? model : defaultModel();
        try (MmadaModel m = MmadaModel.load(dir, ComputePool.shared())) {
            InspectCommand.print(m, dir, System.out);
            ModelConfig c = m.config();
            // First half: ids spread over the text vocabulary; second half: the mask token.
            int textVocab = c.llmVocabSize() > 0 ? Math.min(c.llmVocabSize(), c.vocabSize()) : c.vocabSize();
            int[] ids = new int[length];
            for (int i = 0; i < length; i++) {
                ids[i] = i < length / 2 ? (int) ((i * 7919L + 13) % textVocab) : c.maskTokenId();
            }
            ForwardState st = m.newState();
            long t0 = System.nanoTime();
            Logits logits = m.forward(st, ids, 1, length, null, LogitsSpec.all());
            double ms = (System.nanoTime() - t0) / 1e6;
            int[] guess = new int[length - length / 2];
            for (int p = length / 2; p < length; p++) {
                guess[p - length / 2] = VectorOps.argmax(logits.data(), logits.offset(0, p), logits.cols());
            }
            System.out.printf("%nforward     1 x %d tokens -> logits [1, %d, %d] in %.1f ms (%d threads)%n",
                    length, length, logits.cols(), ms, m.pool().threads());
            System.out.printf("input       %s%n", Arrays.toString(ids));
            System.out.printf("argmax at the %d [MASK] positions (id %d): %s%n", guess.length, c.maskTokenId(),
                    Arrays.toString(guess));
            System.out.println("(random weights: a trained model turns these guesses into text and images)");
        }
        return 0;
    }

    private static Path defaultModel() {
        Path rel = Path.of("models", "mmada-tiny");
        String home = System.getProperty("mmada4j.home");
        if (home != null && Files.isDirectory(Path.of(home).resolve(rel))) {
            return Path.of(home).resolve(rel);
        }
        try {
            // app/target/mmada4j.jar -> repository root
            Path jar = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = jar.getParent(); p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve(rel))) {
                    return p.resolve(rel);
                }
            }
        } catch (Exception ignored) {
            // fall back to the working directory
        }
        return rel;
    }
}
