package org.mmada4j.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecialTokensTest {
    @TempDir
    Path dir;

    @Test
    void emptyDirectoryGivesMmada8b() {
        SpecialTokens t = SpecialTokens.load(dir, OptionalInt.empty());
        assertEquals(SpecialTokens.mmada8b(), t);
        assertEquals(126349, t.imageOffset());
        assertEquals(126349 + 8191, t.imageToken(8191));
        assertEquals(126093, t.iPad());
    }

    @Test
    void configFieldsAndTokenizerSizeOverrideDefaults() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"mask_token_id\": 99, \"eos_token_id\": 7, \"bos_token_id\": null,"
                + " \"codebook_size\": 16, \"num_vq_tokens\": 4, \"vocab_size\": 200000}");
        SpecialTokens t = SpecialTokens.load(dir, OptionalInt.of(150));
        assertEquals(99, t.mask());
        assertEquals(7, t.eos());
        assertEquals(7, t.pad());
        assertEquals(126080, t.bos());
        assertEquals(150, t.imageOffset());
        assertEquals(16, t.codebookSize());
        assertEquals(4, t.numVqTokens());
    }

    @Test
    void tokenMapWinsAndRoundTrips() throws Exception {
        SpecialTokens tiny = new SpecialTokens(256, 257, 257, 288, 260, 261, 262, 263, 264, 265, 266, 267, 268, 269, 270,
                290, 291, 292, 293, 64, 16, 384);
        tiny.write(dir);
        Files.writeString(dir.resolve("config.json"), "{\"mask_token_id\": 5}");
        assertEquals(tiny, SpecialTokens.load(dir, OptionalInt.of(293)));
    }

    @Test
    void offsetDisagreeingWithTokenizerIsAnError() throws Exception {
        Files.writeString(dir.resolve(SpecialTokens.FILE), "{\"image_token_offset\": 293, \"vocab_size\": 384,"
                + " \"codebook_size\": 64, \"<|startoftext|>\": 1, \"<|endoftext|>\": 2, \"<|mdm_mask|>\": 3}");
        var e = assertThrows(IllegalArgumentException.class, () -> SpecialTokens.load(dir, OptionalInt.of(290)));
        assertTrue(e.getMessage().contains(SpecialTokens.FILE) && e.getMessage().contains("290"), e.getMessage());
    }

    @Test
    void badValuesNameFileAndField() throws Exception {
        Files.writeString(dir.resolve(SpecialTokens.FILE), "{\"<|soi|>\": \"x\"}");
        var e = assertThrows(IllegalArgumentException.class, () -> SpecialTokens.load(dir, OptionalInt.empty()));
        assertTrue(e.getMessage().contains("<|soi|>") && e.getMessage().contains(SpecialTokens.FILE), e.getMessage());
        Files.writeString(dir.resolve(SpecialTokens.FILE), "{\"<|soi|>\": 500000}");
        e = assertThrows(IllegalArgumentException.class, () -> SpecialTokens.load(dir, OptionalInt.empty()));
        assertTrue(e.getMessage().contains("<|soi|>") && e.getMessage().contains("500000"), e.getMessage());
        Files.writeString(dir.resolve(SpecialTokens.FILE), "{\"codebook_size\": 9000}");
        e = assertThrows(IllegalArgumentException.class, () -> SpecialTokens.load(dir, OptionalInt.empty()));
        assertTrue(e.getMessage().contains("do not fit"), e.getMessage());
    }

    @Test
    void bundledTinyModelHasItsMap() {
        Path tiny = Path.of(System.getProperty("user.dir")).resolveSibling("models").resolve("mmada-tiny");
        SpecialTokens t = SpecialTokens.load(tiny, OptionalInt.empty());
        assertEquals(293, t.imageOffset());
        assertEquals(288, t.mask());
        assertEquals(269, t.iPad());
        assertEquals(16, t.numVqTokens());
    }
}
