package org.mmada4j.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package walls of DESIGN.md, enforced by scanning imports: a package of {@code core} may use only
 * the packages listed before it in {@link #LAYERS} (sample may use model, model never uses sample).
 * {@code data} sits before {@code train} because the trainer reads datasets.
 */
class PackageWallsTest {
    static final List<String> LAYERS = List.of(
            "tensor", "io", "model", "vq", "text", "score", "prompt", "sample", "data", "train", "eval");

    private static final Pattern USE = Pattern.compile("\\borg\\.mmada4j\\.([a-z]+)\\b");

    @Test
    void packagesOnlyUseTheLayersAboveThem() throws IOException {
        Path root = Path.of("src/main/java/org/mmada4j");
        List<String> violations = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String pkg = root.relativize(f).getName(0).toString();
                int rank = LAYERS.indexOf(pkg);
                assertTrue(rank >= 0, "package '" + pkg + "' (" + f + ") is not in the layer table; add it to DESIGN and here");
                scanned++;
                for (String line : Files.readAllLines(f)) {
                    if (!line.startsWith("import ") && !line.startsWith("package ")) {
                        continue;
                    }
                    Matcher m = USE.matcher(line);
                    while (m.find()) {
                        String used = m.group(1);
                        int usedRank = LAYERS.indexOf(used);
                        if (usedRank > rank) {
                            violations.add(f + " (" + pkg + ") uses " + used);
                        }
                    }
                }
            }
        }
        assertTrue(scanned > 0, "no sources scanned under " + root.toAbsolutePath());
        assertEquals(List.of(), violations, "package walls broken");
    }
}
