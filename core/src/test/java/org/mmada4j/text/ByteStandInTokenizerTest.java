package org.mmada4j.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mmada4j.testing.GoldenSet;

/**
 * The golden sets' byte-level stand-in tokenizer as a {@code tokenizer.json}: plain encodes of the
 * prompt pieces reproduce the golden ids (the layouts around them are the prompt package's), and the
 * bundled models/mmada-tiny/tokenizer.json is exactly the one generated from the tiny set's token map.
 */
@Tag("parity")
class ByteStandInTokenizerTest {
    private static final Path BUNDLED = Path.of("../models/mmada-tiny/tokenizer.json");

    static Map<String, Integer> specials(GoldenSet g) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = g.meta().get("tokens").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if ((e.getKey().startsWith("<") || e.getKey().startsWith("[")) && e.getValue().canConvertToInt()) {
                out.put(e.getKey(), e.getValue().asInt());
            }
        }
        return out;
    }

    static String json(GoldenSet g) {
        JsonNode t = g.meta().get("tokens");
        return ByteStandInTokenizer.toJson(specials(g), t.get("bytes").get(0).asInt(), t.get("text_tokenizer_len").asInt());
    }

    static String chat(String user) {
        return "<|start_header_id|>user<|end_header_id|>\n" + user
                + "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n";
    }

    @ParameterizedTest
    @MethodSource("org.mmada4j.testing.GoldenSet#all")
    void promptPiecesEncodeToGoldenIds(GoldenSet g) {
        BpeTokenizer tok = BpeTokenizer.fromJson(json(g), g + " stand-in");
        int bos = g.token("<|startoftext|>");
        assertEquals(g.meta().get("tokens").get("text_tokenizer_len").asInt(), tok.size());

        // text: BOS + chat template around the prompt
        int[] text = g.npy("text_prompt_ids.npy").toInts();
        String prompt = g.meta().get("text_cases").get(0).get("prompt").asText();
        assertEquals(bos, text[0]);
        assertArrayEquals(Arrays.copyOfRange(text, 1, text.length), tok.encode(chat(prompt)));

        // mmu: <|mmu|> <|soi|> image <|eoi|> BOS chat(question)
        int[] mmu = g.npy("mmu_input_ids.npy").toInts();
        int n = g.meta().get("tokens").get("num_vq_tokens").asInt();
        assertEquals(bos, mmu[3 + n]);
        assertArrayEquals(Arrays.copyOfRange(mmu, 4 + n, mmu.length), tok.encode(chat(g.meta().get("mmu").get("prompt").asText())));

        // t2i: [iPAD]… <|t2i|> BOS text EOS <|soi|> …
        int[] t2i = g.npy("t2i_input_ids.npy").toInts();
        int start = indexOf(t2i, g.token("<|t2i|>")) + 2;
        int end = indexOf(t2i, g.token("<|endoftext|>"));
        assertEquals(bos, t2i[start - 1]);
        assertArrayEquals(Arrays.copyOfRange(t2i, start, end), tok.encode(g.meta().get("t2i").get("prompt").asText()));

        assertEquals(chat(prompt), tok.decode(tok.encode(chat(prompt)), false));
        assertEquals("user\n" + prompt + "assistant\n", tok.decode(tok.encode(chat(prompt)), true));
    }

    @Test
    void bundledTinyTokenizerIsTheGeneratedOneAndLoadsInTheOracle() throws IOException {
        GoldenSet tiny = GoldenSet.open(Path.of("src/test/resources/golden/tiny"));
        ObjectMapper m = new ObjectMapper();
        assertTrue(Files.exists(BUNDLED), "missing " + BUNDLED.toAbsolutePath());
        assertEquals(m.readTree(json(tiny)), m.readTree(BUNDLED.toFile()), "bundled tokenizer.json is stale");
        BpeTokenizer ours = BpeTokenizer.load(BUNDLED);
        String text = chat("Lily can run 12 km per hour. How far in 3 hours?") + "[iPAD]<|mdm_mask|> é 😀";
        try (HfOracle oracle = new HfOracle(BUNDLED)) {
            assertArrayEquals(oracle.encode(text), ours.encode(text));
            int[] ids = ours.encode(text);
            assertEquals(oracle.decode(ids, true), ours.decode(ids, true));
            assertEquals(oracle.decode(ids, false), ours.decode(ids, false));
        }
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        throw new AssertionError("id " + v + " not found");
    }
}
