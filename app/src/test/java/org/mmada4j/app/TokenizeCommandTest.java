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
import picocli.CommandLine;

/** {@code tokenize} on the bundled tiny model's byte-level stand-in tokenizer. */
class TokenizeCommandTest {
    private final String tokenizer = Path.of("..", "models", "mmada-tiny", "tokenizer.json").toAbsolutePath().normalize().toString();

    @Test
    void encodesAndDecodes() {
        // bytes are their own ids, <|eot_id|> is 292 (golden token map)
        assertEquals("72,105,32,292,195,169", run(0, "tokenize", "--tokenizer", tokenizer, "Hi <|eot_id|>é"));
        assertEquals("Hi <|eot_id|>é", run(0, "tokenize", "--tokenizer", tokenizer, "--decode", "72,105,32,292,195,169"));
        assertEquals("Hi é", run(0, "tokenize", "--tokenizer", tokenizer, "--skip-special", "--decode", "72,105,32,292,195,169"));
    }

    @Test
    void trainsATokenizerThatEncodes(@TempDir Path tmp) throws Exception {
        Path text = tmp.resolve("text.txt");
        Files.writeString(text, "the cat sat on the mat\nthe cat ate the rat\n".repeat(20));
        Path out = tmp.resolve("tokenizer.json");
        assertEquals("wrote " + out + " (270 ids)", run(0, "tokenize", "--tokenizer", out.toString(), "--train", text.toString(),
                "--vocab-size", "270", "--special", "<|endoftext|>,<|mdm_mask|>"));
        String ids = run(0, "tokenize", "--tokenizer", out.toString(), "the cat<|mdm_mask|>");
        assertTrue(ids.endsWith(",1") && ids.split(",").length < 8, ids);
        assertEquals("the cat<|mdm_mask|>", run(0, "tokenize", "--tokenizer", out.toString(), "--decode", ids));
    }

    @Test
    void badInputFailsWithAMessage() {
        assertEquals("", run(1, "tokenize", "--tokenizer", tokenizer, "--decode", "1,999"));
        assertEquals("", run(1, "tokenize", "--tokenizer", "no-such-tokenizer.json", "x"));
        assertEquals("", run(2, "tokenize", "--tokenizer", tokenizer));
    }

    private static String run(int expectedExit, String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = new CommandLine(new Main()).execute(args);
        } finally {
            System.setOut(old);
        }
        assertEquals(expectedExit, rc, String.join(" ", args));
        String out = buf.toString(StandardCharsets.UTF_8).strip();
        assertTrue(out.isEmpty() || expectedExit == 0, out);
        return out;
    }
}
