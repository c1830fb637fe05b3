package org.mmada4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
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
