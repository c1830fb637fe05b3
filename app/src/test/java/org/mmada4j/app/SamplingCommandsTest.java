package org.mmada4j.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmada4j.io.Npy;
import picocli.CommandLine;

/** The sampling commands end to end on the golden set and the bundled tiny models. */
class SamplingCommandsTest {
    private static final Path GOLDEN = Path.of("..", "core", "src", "test", "resources", "golden", "tiny");
    private static final Path TINY = Path.of("..", "models", "mmada-tiny");

    @TempDir
    Path tmp;

    private int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, c, p) -> {
            throw e;
        });
        return cl.execute(args);
    }

    @Test
    void debugGenerateReproducesTheGoldenTextAndCfgIds() throws Exception {
        Path out = tmp.resolve("ids.npy");
        assertEquals(0, run("debug", "generate", "--model", GOLDEN.toString(), "--input",
                GOLDEN.resolve("text_prompt_ids.npy").toString(), "--gen-length", "32", "--block-length", "8",
                "--steps", "16", "--output", out.toString()));
        assertArrayEquals(Npy.read(GOLDEN.resolve("text_gen_ids.npy")).longs(), Npy.read(out).longs());
        assertEquals(0, run("debug", "generate", "--model", GOLDEN.toString(), "--input",
                GOLDEN.resolve("text_prompt_ids.npy").toString(), "--gen-length", "32", "--block-length", "8",
                "--steps", "16", "--cfg", "1.5", "--output", out.toString()));
        assertArrayEquals(Npy.read(GOLDEN.resolve("text_cfg_gen_ids.npy")).longs(), Npy.read(out).longs());
    }

    @Test
    void badSamplingSettingsFailBeforeLoadingAnything() {
        String[][] bad = {
            {"debug", "generate", "--input", "x.npy", "--output", "y.npy", "--gen-length", "30", "--block-length", "8",
                "--steps", "16"},
            {"debug", "generate", "--input", "x.npy", "--output", "y.npy", "--gen-length", "32", "--block-length", "8",
                "--steps", "15"},
            {"imagine", "--prompt", "a", "-o", "x.png", "--guidance", "NaN"},
            {"imagine", "--prompt", "a", "-o", "x.png", "--temperature", "-1"},
        };
        String[] expected = {"not a multiple of block_length", "not divisible by the number of blocks",
            "guidance scale must be finite", "temperature must be finite"};
        PrintStream old = System.err;
        try {
            for (int i = 0; i < bad.length; i++) {
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                System.setErr(new PrintStream(err));
                CommandLine cl = new CommandLine(new Main());
                cl.setErr(new java.io.PrintWriter(err, true));
                int code = cl.execute(bad[i]);
                System.err.flush();
                assertNotEquals(0, code, String.join(" ", bad[i]));
                assertTrue(err.toString().contains(expected[i]), err.toString());
            }
        } finally {
            System.setErr(old);
        }
    }

    @Test
    void imagineWritesAPngAndTheSameSeedGivesTheSameImage() throws Exception {
        Path a = tmp.resolve("a.png");
        Path b = tmp.resolve("b.png");
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf));
        try {
            for (Path p : new Path[] {a, b}) {
                assertEquals(0, run("imagine", "--model", TINY.toString(), "--vq",
                        TINY.resolveSibling("magvit-tiny").toString(), "--prompt", "a red cube", "--max-text-len", "16",
                        "--steps", "4", "--seed", "7", "--json", "-o", p.toString()));
            }
        } finally {
            System.setOut(old);
        }
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertTrue(buf.toString().contains("\"codes\""));
        assertNotEquals(0, Files.size(a));
    }
}
