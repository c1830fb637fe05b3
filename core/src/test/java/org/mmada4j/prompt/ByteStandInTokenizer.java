package org.mmada4j.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.mmada4j.testing.GoldenSet;
import org.mmada4j.text.TextTokenizer;

/**
 * Test-only twin of the golden sets' byte-level stand-in tokenizer: byte b → {@code tokens.bytes[0] + b},
 * special-token names inside the text ({@code <|…|>}, {@code [iPAD]}) matched to their ids; no BOS added
 * (the layouts add it).
 */
public final class ByteStandInTokenizer implements TextTokenizer {
    private final int byteBase;
    private final int size;
    private final Map<String, Integer> specials = new HashMap<>();
    private final Map<Integer, String> names = new HashMap<>();
    private final List<String> byLength = new ArrayList<>();

    public ByteStandInTokenizer(GoldenSet golden) {
        JsonNode t = golden.meta().path("tokens");
        byteBase = t.path("bytes").get(0).asInt();
        size = t.path("text_tokenizer_len").asInt();
        t.fieldNames().forEachRemaining(k -> {
            if ((k.startsWith("<|") || k.startsWith("[")) && t.get(k).isInt()) {
                specials.put(k, t.get(k).asInt());
                names.put(t.get(k).asInt(), k);
                byLength.add(k);
            }
        });
        byLength.sort(Comparator.comparingInt(String::length).reversed());
    }

    @Override
    public int[] encode(String text) {
        List<Integer> ids = new ArrayList<>();
        int i = 0;
        outer:
        while (i < text.length()) {
            for (String s : byLength) {
                if (text.startsWith(s, i)) {
                    ids.add(specials.get(s));
                    i += s.length();
                    continue outer;
                }
            }
            int cp = text.codePointAt(i);
            for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                ids.add(byteBase + (b & 0xff));
            }
            i += Character.charCount(cp);
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            if (id >= byteBase && id < byteBase + 256) {
                bytes.write(id - byteBase);
                continue;
            }
            sb.append(bytes.toString(StandardCharsets.UTF_8));
            bytes.reset();
            if (!skipSpecialTokens && names.containsKey(id)) {
                sb.append(names.get(id));
            }
        }
        sb.append(bytes.toString(StandardCharsets.UTF_8));
        return sb.toString();
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public OptionalInt tokenId(String token) {
        Integer id = specials.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }
}
