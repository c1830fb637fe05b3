package org.mmada4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmada4j.io.Checkpoint;
import org.mmada4j.io.Npy;
import org.mmada4j.io.NpyArray;
import org.mmada4j.model.ModelConfig;
import org.mmada4j.tensor.DType;
import picocli.CommandLine;

/** {@code init} then {@code inspect}, {@code debug forward} and {@code bench forward} on the result. */
class InitInspectCommandTest {
    @TempDir
    Path tmp;

    private final Path config = Path.of("..", "models", "mmada-tiny", "config.json").toAbsolutePath().normalize();

    @Test
    void initWritesALoadableCheckpointThatInspectDescribes() throws Exception {
        Path dir = tmp.resolve("init-bf16");
        assertEquals(0, new CommandLine(new Main()).execute("init", "--config", config.toString(), "--dtype", "bf16",
                "--seed", "3", "--output", dir.toString()));
        ModelConfig c = ModelConfig.load(dir.resolve("config.json"));
        try (Checkpoint ck = Checkpoint.open(dir)) {
            assertEquals(9 * c.nLayers() + 3, ck.names().size());
            for (String n : ck.names()) {
                assertEquals(DType.BF16, ck.spec(n).dtype(), n);
            }
        }
        String out = capture(() -> new CommandLine(new Main()).execute("inspect", "--model", dir.toString()));
        assertTrue(out.contains(String.format("parameters  %,d", c.parameterCount())), out);
        assertTrue(out.contains("BF16  " + (9 * c.nLayers() + 3) + " tensors"), out);

        // debug forward runs on it and writes [B, L, V]
        Path ids = tmp.resolve("ids.npy");
        Npy.write(ids, NpyArray.ofLongs(new long[] {1, 2, 3, 4, 5, 6}, 2, 3));
        Path logits = tmp.resolve("logits.npy");
        assertEquals(0, new CommandLine(new Main()).execute("debug", "forward", "--model", dir.toString(),
                "--input", ids.toString(), "--output", logits.toString()));
        NpyArray l = Npy.read(logits);
        assertEquals(2, l.dim(0));
        assertEquals(3, l.dim(1));
        assertEquals(c.embeddingSize(), l.dim(2));

        // bench forward prints one JSON line with its numbers
        String bench = capture(() -> new CommandLine(new Main()).execute("bench", "forward", "--model", dir.toString(),
                "--seq", "8", "--batch", "1", "--threads", "1", "--iters", "2"));
        String line = bench.strip();
        assertTrue(line.startsWith("{") && line.endsWith("}") && !line.contains("\n"), bench);
        assertTrue(line.contains("\"tokens_per_s\"") && line.contains("\"gflops\"") && line.contains("\"dtype\":\"BF16\""), line);
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Path c = tmp.resolve("c");
        for (Object[] run : new Object[][] {{a, "5"}, {b, "5"}, {c, "6"}}) {
            assertEquals(0, new CommandLine(new Main()).execute("init", "--config", config.toString(), "--dtype", "f32",
                    "--seed", (String) run[1], "--output", run[0].toString()));
        }
        byte[] fa = Files.readAllBytes(a.resolve("model.safetensors"));
        assertTrue(java.util.Arrays.equals(fa, Files.readAllBytes(b.resolve("model.safetensors"))));
        assertTrue(!java.util.Arrays.equals(fa, Files.readAllBytes(c.resolve("model.safetensors"))));
    }

    private static String capture(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
