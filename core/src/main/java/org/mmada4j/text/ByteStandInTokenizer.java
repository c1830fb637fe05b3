package org.mmada4j.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The "byte-level stand-in" tokenizer of the golden sets (../shared/golden/README.md) as a
 * {@code tokenizer.json}: byte b is id {@code bytesBase + b}, special-token names inside text are
 * their ids, no merges. Ids in {@code [0, size)} that are neither bytes nor named get placeholder
 * special tokens {@code <|reserved_N|>}, so the tokenizer's length is {@code size} (the image-token
 * offset), as the reference's {@code len(tokenizer)} is.
 */
public final class ByteStandInTokenizer {
    private ByteStandInTokenizer() {}

    /**
     * @param specials  special-token names to ids (e.g. {@code <|soi|>} -> 260)
     * @param bytesBase id of byte 0
     * @param size      text tokenizer length; every id below it is defined
     */
    public static String toJson(Map<String, Integer> specials, int bytesBase, int size) {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        Map<Integer, String> taken = new HashMap<>();
        for (int b = 0; b < 256; b++) {
            String tok = String.valueOf(ByteLevelAlphabet.BYTE_TO_CHAR[b]);
            vocab.put(tok, bytesBase + b);
            taken.put(bytesBase + b, tok);
        }
        List<TokenizerJsonWriter.Special> added = new ArrayList<>();
        specials.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> {
            int id = e.getValue();
            if (id < 0 || id >= size) {
                throw new IllegalArgumentException("special token " + e.getKey() + " has id " + id + " outside [0, " + size + ")");
            }
            String clash = taken.put(id, e.getKey());
            if (clash != null) {
                throw new IllegalArgumentException("special token " + e.getKey() + " and " + clash + " share id " + id);
            }
            added.add(new TokenizerJsonWriter.Special(e.getKey(), id));
        });
        for (int id = 0; id < size; id++) {
            if (!taken.containsKey(id)) {
                added.add(new TokenizerJsonWriter.Special("<|reserved_" + id + "|>", id));
            }
        }
        added.sort(java.util.Comparator.comparingInt(TokenizerJsonWriter.Special::id));
        return TokenizerJsonWriter.toJson(vocab, List.of(), added, null);
    }
}
