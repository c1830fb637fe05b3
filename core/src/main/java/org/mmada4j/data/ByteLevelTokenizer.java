package org.mmada4j.data;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.mmada4j.text.TextTokenizer;

/**
 * The byte-level stand-in tokenizer of the tiny models (golden README): byte b → {@code byte0 + b},
 * special-token names inside the text → their ids. For training and testing tiny models that ship
 * no {@code tokenizer.json}.
 */
public final class ByteLevelTokenizer implements TextTokenizer {
    private final int byte0;
    private final int size;
    private final TreeMap<String, Integer> specials;
    private final Map<Integer, String> names = new TreeMap<>();

    /** @param specials name → id of the special tokens (e.g. the model's token map) */
    public ByteLevelTokenizer(int byte0, int size, Map<String, Integer> specials) {
        this.byte0 = byte0;
        this.size = size;
        this.specials = new TreeMap<>(specials);
        specials.forEach((name, id) -> names.put(id, name));
    }

    @Override
    public int[] encode(String text) {
        var ids = new java.util.ArrayList<Integer>();
        int i = 0;
        outer:
        while (i < text.length()) {
            // descending order tries a name before any of its prefixes: the longest match wins
            for (Map.Entry<String, Integer> e : specials.descendingMap().entrySet()) {
                if (text.startsWith(e.getKey(), i)) {
                    ids.add(e.getValue());
                    i += e.getKey().length();
                    continue outer;
                }
            }
            int cp = text.codePointAt(i);
            for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                ids.add(byte0 + (b & 0xff));
            }
            i += Character.charCount(cp);
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        // bytes between special tokens decode as one group each, as Hugging Face decodes byte-level
        // text around added tokens (an incomplete UTF-8 sequence never swallows a special token)
        StringBuilder sb = new StringBuilder();
        var bytes = new java.io.ByteArrayOutputStream();
        for (int id : ids) {
            if (id >= byte0 && id < byte0 + 256) {
                bytes.write(id - byte0);
                continue;
            }
            sb.append(bytes.toString(StandardCharsets.UTF_8));
            bytes.reset();
            if (!skipSpecialTokens && names.containsKey(id)) {
                sb.append(names.get(id));
            }
        }
        return sb.append(bytes.toString(StandardCharsets.UTF_8)).toString();
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
