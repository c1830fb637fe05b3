package org.mmada4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Exports trained weights as an inference model directory: {@code model.safetensors} in fp32 or bf16
 * (round-to-nearest-even, as torch's cast) next to the source model's {@code config.json},
 * {@code mmada_tokens.json} and {@code tokenizer.json} (those present). Written into a temporary
 * sibling directory and renamed into place, replacing an older export only when complete.
 */
public final class InferenceExport {
    private static final String[] SIDE_FILES = {"config.json", "mmada_tokens.json", "tokenizer.json", "tokenizer_config.json"};

    private InferenceExport() {
    }

    public static void write(ParameterSet params, Path sourceModelDir, Path target, CheckpointTensors.Precision precision)
            throws IOException {
        Path abs = target.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempDirectory(abs.getParent(), "." + abs.getFileName() + ".");
        try {
            CheckpointTensors.write(params, precision, tmp.resolve("model.safetensors"));
            for (String f : SIDE_FILES) {
                if (Files.exists(sourceModelDir.resolve(f))) {
                    Files.copy(sourceModelDir.resolve(f), tmp.resolve(f));
                }
            }
            Path old = null;
            if (Files.exists(abs)) {
                old = abs.resolveSibling("." + abs.getFileName() + ".old");
                deleteTree(old);
                Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            if (old != null) {
                deleteTree(old);
            }
        } finally {
            deleteTree(tmp);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(q);
            }
        }
    }
}
