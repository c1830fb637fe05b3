package org.mmada4j.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's tokenizer.json loads in the Rust Hugging Face library, which agrees with ours on
 * held-out text; trained on the Brown corpus (fetched by the build) with a vocabulary of 2,000.
 */
class BpeTrainerTest {
    private static final List<String> SPECIALS = List.of("<|endoftext|>", "<|mdm_mask|>");

    /** Plain text of Brown corpus files ({@code word/tag} tokens, tags dropped), one paragraph a line. */
    static List<String> brown(String glob) {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(TokenizerFixtures.brownCorpus())) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches(glob)).sorted().toList()) {
                for (String para : Files.readString(f).split("\n\\s*\n")) {
                    StringBuilder b = new StringBuilder();
                    for (String tok : para.trim().split("\\s+")) {
                        int k = tok.lastIndexOf('/');
                        if (k > 0) {
                            String word = tok.substring(0, k).replace("``", "\"").replace("''", "\"");
                            b.append(b.isEmpty() ? "" : " ").append(word);
                        }
                    }
                    if (!b.isEmpty()) {
                        lines.add(b.toString());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    @Test
    void trainedTokenizerAgreesWithOracleOnHeldOutText(@TempDir Path dir) {
        List<String> train = brown("ca[0-3][0-9]");
        long bytes = train.stream().mapToLong(String::length).sum();
        assertTrue(bytes > 200_000, "training text " + bytes + " bytes");
        String json = BpeTrainer.train(train, new BpeTrainer.Options(2000, SPECIALS, 2, false, null));
        Path file = dir.resolve("tokenizer.json");
        TokenizerJsonWriter.write(file, json);
        BpeTokenizer ours = BpeTokenizer.load(file);
        assertEquals(2000, ours.size());
        assertEquals(0, ours.tokenId("<|endoftext|>").orElseThrow());
        assertEquals(2 + 'a', ours.tokenId("a").orElseThrow(), "bytes follow the special tokens in byte order");

        List<String> english = brown("cb0[1-5]");
        List<String> heldOut = new ArrayList<>(english);
        heldOut.addAll(BpeTokenizerOracleTest.sample(BpeTokenizerOracleTest.corpus(), 10));
        heldOut.add("x<|endoftext|>y<|mdm_mask|><|mdm_mask|> 2024");
        long heldBytes = 0, tokens = 0;
        try (HfOracle oracle = new HfOracle(file)) {
            for (String s : heldOut) {
                int[] got = ours.encode(s);
                assertArrayEquals(oracle.encode(s), got, () -> "held-out " + BpeTokenizerOracleTest.escape(s));
                assertEquals(s, ours.decode(got, false));
            }
        }
        for (String s : english) {
            heldBytes += s.length();
            tokens += ours.encode(s).length;
        }
        // A 2,000-token vocabulary learned on English compresses held-out English well below 1 token/byte.
        double perByte = (double) tokens / heldBytes;
        assertTrue(perByte < 0.4, "tokens per byte on held-out English: " + perByte);
    }

    @Test
    void digitsStaySingleTokensWhenAsked(@TempDir Path dir) {
        List<String> train = brown("ca0[1-9]");
        train.add("in 1961 and 1962, 3.14159 and 2718281828 and 100000 dollars, 1961 1961 1961 1962 1962");
        String json = BpeTrainer.train(train, new BpeTrainer.Options(800, SPECIALS, 1, true, null));
        Path file = dir.resolve("tokenizer.json");
        TokenizerJsonWriter.write(file, json);
        BpeTokenizer ours = BpeTokenizer.load(file);
        String s = "In 1961, 12345 people paid $3.50 each.";
        int[] ids = ours.encode(s);
        try (HfOracle oracle = new HfOracle(file)) {
            assertArrayEquals(oracle.encode(s), ids);
        }
        int digitTokens = 0;
        for (int id : ids) {
            String t = ours.decode(new int[] {id}, false);
            if (t.chars().anyMatch(Character::isDigit)) {
                assertEquals(1, t.length(), "digit token '" + t + "' in " + Arrays.toString(ids));
                digitTokens++;
            }
        }
        assertEquals(12, digitTokens);
        // Without the option, the same corpus learns multi-digit tokens.
        BpeTokenizer plain = BpeTokenizer.fromJson(BpeTrainer.train(train, new BpeTrainer.Options(800, SPECIALS, 1, false, null)), "plain");
        assertTrue(plain.encode(s).length < ids.length);
    }

    @Test
    void trainingIsDeterministic() {
        List<String> train = brown("ca0[1-3]");
        BpeTrainer.Options o = new BpeTrainer.Options(700, SPECIALS, 2, false, null);
        assertEquals(BpeTrainer.train(train, o), BpeTrainer.train(new ArrayList<>(train), o));
    }

    @Test
    void minFrequencyStopsEarly() {
        String json = BpeTrainer.train(List.of("ab ab ab cd"), new BpeTrainer.Options(1000, List.of(), 3, false, null));
        BpeTokenizer t = BpeTokenizer.fromJson(json, "min-frequency");
        assertEquals(257, t.size(), "only (a,b) is seen 3 times");
        assertArrayEquals(new int[] {256, 'c', 'd'}, t.encode("abcd"));
    }

    @Test
    void rejectsImpossibleOptions() {
        assertThrows(IllegalArgumentException.class, () -> new BpeTrainer.Options(100, List.of(), 1, false, null));
        assertThrows(IllegalArgumentException.class, () -> new BpeTrainer.Options(300, List.of(), 0, false, null));
    }
}
