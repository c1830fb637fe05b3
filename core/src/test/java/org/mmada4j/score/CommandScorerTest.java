package org.mmada4j.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmada4j.vq.RgbImage;

/** CommandScorer against tiny Python and shell scorers: answers, process death, timeouts, bad replies. */
class CommandScorerTest {
    private static final RgbImage IMG = new RgbImage(3, 2, new byte[18]);

    /** Replies len(text) + 1000 when the image file exists (and is a PNG), so both fields are checked. */
    private static final String PYTHON_SCORER = """
            import json, os, sys
            for line in sys.stdin:
                req = json.loads(line)
                with open(req["image"], "rb") as f:
                    png = f.read(8) == b"\\x89PNG\\r\\n\\x1a\\n"
                print(len(req["text"]) + (1000 if png else 0), flush=True)
            """;

    @Test
    void scoresEveryPairThroughOneLongLivedProcess(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("scorer.py");
        Files.writeString(script, PYTHON_SCORER);
        try (CommandScorer s = new CommandScorer(List.of("python3", script.toString()), "toy", Duration.ofSeconds(30))) {
            assertEquals("toy", s.name());
            double[] got = s.score(List.of(IMG, IMG, IMG), List.of("a cat", "quotes \" and \\ and\nnewline", "東京"));
            assertArrayEquals(new double[] {1005, 1000 + 26, 1002}, got);
            assertArrayEquals(new double[] {1001}, s.score(List.of(IMG), List.of("x")), "second call, same process");
        }
    }

    @Test
    void processDeathNamesTheExitStatusAndStderr() {
        try (CommandScorer s = new CommandScorer(List.of("sh", "-c", "read line; echo 'model failed to load' >&2; exit 3"),
                "dying", Duration.ofSeconds(30))) {
            ScorerException e = assertThrows(ScorerException.class, () -> s.score(List.of(IMG), List.of("a")));
            assertTrue(e.getMessage().contains("exited with status 3"), e.getMessage());
            assertTrue(e.getMessage().contains("model failed to load"), e.getMessage());
            assertTrue(e.getMessage().contains("pair 0"), e.getMessage());
        }
    }

    @Test
    void silenceBeyondTheTimeoutKillsTheProcess() {
        try (CommandScorer s = new CommandScorer(List.of("sh", "-c", "read line; sleep 30"), "slow",
                Duration.ofMillis(300))) {
            long t0 = System.nanoTime();
            ScorerException e = assertThrows(ScorerException.class, () -> s.score(List.of(IMG), List.of("a")));
            assertTrue(e.getMessage().contains("no answer for pair 0 within 300 ms"), e.getMessage());
            assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "timed out promptly");
        }
    }

    @Test
    void nonNumericRepliesAreRejectedWithTheReply() {
        try (CommandScorer s = new CommandScorer(List.of("sh", "-c", "while read line; do echo 'score: high'; done"),
                "chatty", Duration.ofSeconds(30))) {
            ScorerException e = assertThrows(ScorerException.class, () -> s.score(List.of(IMG), List.of("a")));
            assertTrue(e.getMessage().contains("'score: high', not a number"), e.getMessage());
        }
        try (CommandScorer s = new CommandScorer(List.of("sh", "-c", "while read line; do echo nan; done"),
                "nan", Duration.ofSeconds(30))) {
            ScorerException e = assertThrows(ScorerException.class, () -> s.score(List.of(IMG), List.of("a")));
            assertTrue(e.getMessage().contains("not a finite number"), e.getMessage());
        }
    }

    @Test
    void missingProgramAndMismatchedListsFailClearly() {
        try (CommandScorer s = new CommandScorer(List.of("/nonexistent/scorer"), "none", Duration.ofSeconds(5))) {
            ScorerException e = assertThrows(ScorerException.class, () -> s.score(List.of(IMG), List.of("a")));
            assertTrue(e.getMessage().contains("cannot start scorer 'none'"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> s.score(List.of(IMG), List.of()));
        }
    }
}
