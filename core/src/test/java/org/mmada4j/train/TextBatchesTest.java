package org.mmada4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmada4j.data.ByteLevelTokenizer;
import org.mmada4j.data.DataFormatException;
import org.mmada4j.data.ExampleKind;
import org.mmada4j.data.JsonlDataset;
import org.mmada4j.data.LengthPolicy;
import org.mmada4j.data.MalformedPolicy;
import org.mmada4j.data.ShuffledStream;
import org.mmada4j.prompt.SpecialTokens;

/** Sequences longer than the training row: truncated as the reference, skipped and counted, or an error. */
class TextBatchesTest {
    @TempDir
    Path dir;

    static final SpecialTokens TOK = new SpecialTokens(256, 257, 257, 288, 260, 261, 262, 263, 264, 265, 266, 267, 268,
            269, 270, 290, 291, 292, 293, 64, 16, 384);

    TextBatches batches(LengthPolicy policy, boolean chat) throws IOException {
        Path f = dir.resolve(chat ? "c.jsonl" : "t.jsonl");
        if (chat) {
            Files.write(f, List.of(
                    "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"content\": \"yo\"}]}",
                    "{\"messages\": [{\"role\": \"user\", \"content\": \"" + "q".repeat(40) + "\"}, {\"role\": \"assistant\", \"content\": \"a\"}]}"));
        } else {
            Files.write(f, List.of("{\"text\": \"short\"}", "{\"text\": \"" + "long ".repeat(10) + "\"}"));
        }
        ShuffledStream s = new ShuffledStream(JsonlDataset.open(f, chat ? ExampleKind.CHAT : ExampleKind.TEXT), 1,
                MalformedPolicy.FAIL);
        return new TextBatches(s, new ByteLevelTokenizer(0, 293, Map.of("<|start_header_id|>", 290,
                "<|end_header_id|>", 291, "<|eot_id|>", 292)), TOK, chat, 24, policy, 1e-3f);
    }

    @Test
    void truncateSkipOrFail() throws IOException {
        DiffusionLoss.Batch b = batches(LengthPolicy.TRUNCATE, false).next(4, new SeededRandom(1));
        assertEquals(4 * 24, b.inputIds().length);

        TextBatches skip = batches(LengthPolicy.SKIP, false);
        DiffusionLoss.Batch s = skip.next(3, new SeededRandom(1));
        assertTrue(skip.skippedTooLong() >= 2, "skipped " + skip.skippedTooLong());
        for (int r = 0; r < 3; r++) {
            assertEquals(256 + 0, s.labels()[r * 24], "every kept row is the short text (BOS first)");
            assertEquals('s', s.labels()[r * 24 + 1]);
        }

        DataFormatException e = assertThrows(DataFormatException.class,
                () -> batches(LengthPolicy.FAIL, false).next(4, new SeededRandom(1)));
        assertTrue(e.getMessage().contains("t.jsonl:2") && e.getMessage().contains("do not fit"), e.getMessage());
    }

    @Test
    void chatRowsWhoseAnswerIsCutAwayAreSkipped() throws IOException {
        TextBatches t = batches(LengthPolicy.TRUNCATE, true);
        DiffusionLoss.Batch b = t.next(3, new SeededRandom(2));
        assertTrue(t.skippedTooLong() >= 1);
        for (int r = 0; r < 3; r++) {
            assertTrue(b.lmAnswerLengths()[r] > 0);
        }
    }
}
