package org.mmada4j.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mmada4j.io.Npy;
import org.mmada4j.io.NpyArray;

/**
 * One golden directory (outputs of the reference PyTorch code): its {@code meta.json},
 * {@code config.json} and {@code .npy} files.
 *
 * <p>Parity tests run on every directory in the system property {@code mmada4j.golden.dirs}
 * (comma-separated), default: the copies in test resources. Sizes and ids always come from the
 * directory, never from the test.
 */
public record GoldenSet(Path dir, JsonNode meta, JsonNode config) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Arguments for {@code @MethodSource}: every configured golden directory. */
    public static List<GoldenSet> all() {
        String prop = System.getProperty("mmada4j.golden.dirs", "").trim();
        List<Path> dirs = new ArrayList<>();
        if (prop.isEmpty()) {
            try {
                dirs.add(Path.of(GoldenSet.class.getResource("/golden/tiny/meta.json").toURI()).getParent());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        } else {
            for (String p : prop.split(",")) {
                if (!p.isBlank()) {
                    dirs.add(Path.of(p.trim()));
                }
            }
        }
        List<GoldenSet> sets = new ArrayList<>();
        for (Path d : dirs) {
            sets.add(open(d));
        }
        return sets;
    }

    /**
     * The bundled golden/tiny copy whatever {@code mmada4j.golden.dirs} says: for unit tests whose assertions
     * are written for tiny's sizes and ids (parity tests use {@link #all()}).
     */
    public static GoldenSet tiny() {
        try {
            return open(Path.of(GoldenSet.class.getResource("/golden/tiny/meta.json").toURI()).getParent());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static GoldenSet open(Path dir) {
        try {
            JsonNode meta = JSON.readTree(dir.resolve("meta.json").toFile());
            JsonNode config = JSON.readTree(dir.resolve("config.json").toFile());
            return new GoldenSet(dir, meta, config);
        } catch (IOException e) {
            throw new UncheckedIOException("golden directory " + dir + " is unreadable", e);
        }
    }

    public NpyArray npy(String name) {
        Path f = dir.resolve(name);
        if (!Files.exists(f)) {
            throw new AssertionError("golden file missing: " + f);
        }
        try {
            return Npy.read(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path file(String name) {
        Path f = dir.resolve(name);
        if (!Files.exists(f)) {
            throw new AssertionError("golden file missing: " + f);
        }
        return f;
    }

    /** The token map of meta.json ({@code tokens}). */
    public int token(String name) {
        JsonNode n = meta.path("tokens").get(name);
        if (n == null) {
            throw new AssertionError("meta.json tokens has no '" + name + "' in " + dir);
        }
        return n.asInt();
    }

    @Override
    public String toString() {
        return dir.getFileName().toString();
    }
}
