package org.mmada4j.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import org.mmada4j.data.ByteLevelTokenizer;
import org.mmada4j.testing.GoldenSet;
import org.mmada4j.text.TextTokenizer;

/**
 * The golden sets' byte-level stand-in tokenizer, configured from a set's {@code meta.json}: byte b →
 * {@code tokens.bytes[0] + b}, special-token names ({@code <|…|>}, {@code [iPAD]}) matched to their ids;
 * no BOS added (the layouts add it).
 */
public final class ByteStandInTokenizer {
    private ByteStandInTokenizer() {
    }

    public static TextTokenizer of(GoldenSet golden) {
        JsonNode t = golden.meta().path("tokens");
        Map<String, Integer> specials = new HashMap<>();
        t.fieldNames().forEachRemaining(k -> {
            if ((k.startsWith("<|") || k.startsWith("[")) && t.get(k).isInt()) {
                specials.put(k, t.get(k).asInt());
            }
        });
        return new ByteLevelTokenizer(t.path("bytes").get(0).asInt(), t.path("text_tokenizer_len").asInt(), specials);
    }
}
