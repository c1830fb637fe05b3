package org.mmada4j.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ids and decoded text identical to the Rust Hugging Face tokenizers library on the real Llama-3
 * and Qwen3 {@code tokenizer.json} files, over a generated corpus of 10,000+ varied strings.
 */
class BpeTokenizerOracleTest {
    static final int CORPUS_SIZE = 10_000;
    private static final Map<String, BpeTokenizer> OURS = new ConcurrentHashMap<>();
    private static final Map<String, HfOracle> ORACLES = new ConcurrentHashMap<>();

    static Path file(String name) {
        return name.equals("llama3") ? TokenizerFixtures.llama3() : TokenizerFixtures.qwen3();
    }

    static BpeTokenizer ours(String name) {
        return OURS.computeIfAbsent(name, n -> BpeTokenizer.load(file(n)));
    }

    static HfOracle oracle(String name) {
        return ORACLES.computeIfAbsent(name, n -> new HfOracle(file(n)));
    }

    @AfterAll
    static void close() {
        ORACLES.values().forEach(HfOracle::close);
        ORACLES.clear();
    }

    static List<String> corpus() {
        List<String> specials = List.of("<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>", "<|start_header_id|>",
                "<|end_header_id|>", "<|reserved_special_token_5|>", "<|reserved_special_token_250|>", "<|endoftext|>",
                "<|im_start|>", "<|im_end|>", "<think>", "</think>", "<tool_call>", "<|fim_prefix|>", "<|vision_pad|>");
        return OracleCorpus.generate(CORPUS_SIZE, 20261123L, specials);
    }

    private static final String SENTENCE = "Hello world! The quick brown fox jumps over 1234567 lazy dogs.";

    /** The ids of ../shared/data/SOURCES.md (the oracle agrees with transformers.js on them). */
    @Test
    void knownIdsFromSources() {
        assertArrayEquals(new int[] {9906, 1917, 0, 578, 4062, 14198, 39935, 35308, 927, 220, 4513, 10961, 22, 16053,
            12875, 13}, ours("llama3").encode(SENTENCE));
        assertArrayEquals(new int[] {9707, 1879, 0, 576, 3974, 13876, 38835, 34208, 916, 220, 16, 17, 18, 19, 20, 21,
            22, 15678, 12590, 13}, ours("qwen3").encode(SENTENCE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama3", "qwen3"})
    void idsEqualOracleOnCorpus(String name) {
        List<String> corpus = corpus();
        assertTrue(corpus.size() >= 10_000);
        BpeTokenizer ours = ours(name);
        int[][] expected = oracle(name).encodeAll(corpus);
        int mismatches = 0;
        StringBuilder report = new StringBuilder();
        long tokens = 0;
        for (int i = 0; i < corpus.size(); i++) {
            int[] got = ours.encode(corpus.get(i));
            tokens += got.length;
            if (!Arrays.equals(expected[i], got)) {
                if (mismatches++ < 5) {
                    report.append("\n#").append(i).append(' ').append(escape(corpus.get(i)))
                            .append("\n  oracle ").append(head(expected[i]))
                            .append("\n  ours   ").append(head(got));
                }
            }
        }
        if (mismatches > 0) {
            fail(name + ": " + mismatches + " of " + corpus.size() + " strings differ" + report);
        }
        assertTrue(tokens > 100_000, "corpus too small: " + tokens + " tokens");
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama3", "qwen3"})
    void decodeRoundTripsAndEqualsOracle(String name) {
        BpeTokenizer ours = ours(name);
        HfOracle oracle = oracle(name);
        List<String> corpus = corpus();
        for (int i = 0; i < corpus.size(); i++) {
            String s = corpus.get(i);
            int[] ids = ours.encode(s);
            String back = ours.decode(ids, false);
            // Llama-3 has no normalizer: exact round trip. Qwen3 normalizes to NFC first.
            String expected = name.equals("qwen3") ? Normalizer.normalize(s, Normalizer.Form.NFC) : s;
            if (!expected.equals(back)) {
                fail(name + " #" + i + ": decode(encode(s)) != s for " + escape(s) + " -> " + escape(back));
            }
            if (i % 10 == 0) {
                assertEquals(oracle.decode(ids, true), ours.decode(ids, true), "skip_special_tokens, #" + i);
            }
        }
    }

    /** Random id runs cut UTF-8 sequences apart: the U+FFFD replacement must match the Rust library's. */
    @ParameterizedTest
    @ValueSource(strings = {"llama3", "qwen3"})
    void decodeOfRandomIdsEqualsOracle(String name) {
        BpeTokenizer ours = ours(name);
        HfOracle oracle = oracle(name);
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 2000; i++) {
            int[] ids = new int[1 + r.nextInt(12)];
            for (int k = 0; k < ids.length; k++) {
                ids[k] = r.nextInt(4) == 0 ? r.nextInt(256) : r.nextInt(ours.size());
            }
            boolean skip = r.nextBoolean();
            assertEquals(oracle.decode(ids, skip), ours.decode(ids, skip), "ids " + Arrays.toString(ids));
        }
    }

    @Test
    void sizeAndTokenIds() {
        assertEquals(128256, ours("llama3").size());
        assertEquals(151669, ours("qwen3").size());
        assertEquals(128009, ours("llama3").tokenId("<|eot_id|>").orElseThrow());
        assertEquals(9906, ours("llama3").tokenId("Hello").orElseThrow());
        assertTrue(ours("qwen3").tokenId("no such token").isEmpty());
    }

    static String head(int[] ids) {
        return Arrays.toString(Arrays.copyOf(ids, Math.min(ids.length, 40))) + (ids.length > 40 ? "… (" + ids.length + ")" : "");
    }

    static String escape(String s) {
        if (s.length() > 300) {
            s = s.substring(0, 300) + "…";
        }
        StringBuilder b = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            if (cp >= 0x20 && cp < 0x7F && cp != '"') {
                b.append((char) cp);
            } else {
                b.append(String.format("\\u{%X}", cp));
            }
        });
        return b.append('"').toString();
    }

    static List<String> sample(List<String> corpus, int every) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < corpus.size(); i += every) {
            out.add(corpus.get(i));
        }
        return out;
    }
}
