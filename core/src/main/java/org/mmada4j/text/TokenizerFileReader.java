package org.mmada4j.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams a {@code tokenizer.json}: {@code model.vocab} and {@code model.merges} (hundreds of
 * thousands of entries) go straight into a map and a list, everything else becomes a small JSON
 * tree. A tree of the whole file takes seconds and hundreds of MB for Llama-3; this takes well under
 * one.
 */
final class TokenizerFileReader {
    /** The file without vocab and merges, plus those two (null when absent from the file). */
    record Parsed(ObjectNode root, Map<String, Integer> vocab, List<String[]> merges) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    private TokenizerFileReader() {}

    static Parsed parse(String json, String source) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new TokenizerFormatException(source, "(root)", "not a JSON object");
            }
            ObjectNode root = JSON.createObjectNode();
            Map<String, Integer> vocab = null;
            List<String[]> merges = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals("model") && t == JsonToken.START_OBJECT) {
                    ObjectNode model = JSON.createObjectNode();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        JsonToken v = p.nextToken();
                        if (field.equals("vocab") && v == JsonToken.START_OBJECT) {
                            vocab = vocab(p, source);
                        } else if (field.equals("merges") && v == JsonToken.START_ARRAY) {
                            merges = merges(p, source);
                        } else {
                            model.set(field, p.readValueAsTree());
                        }
                    }
                    root.set(name, model);
                } else {
                    root.set(name, p.readValueAsTree());
                }
            }
            return new Parsed(root, vocab, merges);
        } catch (IOException e) {
            throw new TokenizerFormatException(source, "(root)", "not valid JSON: " + e.getMessage());
        }
    }

    private static Map<String, Integer> vocab(JsonParser p, String source) throws IOException {
        Map<String, Integer> vocab = new HashMap<>(1 << 18);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String token = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0 || p.getLongValue() > Integer.MAX_VALUE) {
                throw new TokenizerFormatException(source, "model.vocab." + token, "id is not a non-negative integer");
            }
            vocab.put(token, p.getIntValue());
        }
        return vocab;
    }

    private static List<String[]> merges(JsonParser p, String source) throws IOException {
        List<String[]> merges = new ArrayList<>(1 << 18);
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            String field = "model.merges[" + merges.size() + "]";
            if (t == JsonToken.VALUE_STRING) {
                String s = p.getText();
                int sp = s.indexOf(' ');
                if (sp < 0 || s.indexOf(' ', sp + 1) >= 0) {
                    throw new TokenizerFormatException(source, field, "'" + s + "' is not two tokens separated by one space");
                }
                merges.add(new String[] {s.substring(0, sp), s.substring(sp + 1)});
            } else if (t == JsonToken.START_ARRAY) {
                String a = p.nextToken() == JsonToken.VALUE_STRING ? p.getText() : null;
                String b = a != null && p.nextToken() == JsonToken.VALUE_STRING ? p.getText() : null;
                if (b == null || p.nextToken() != JsonToken.END_ARRAY) {
                    throw new TokenizerFormatException(source, field, "not a pair [a, b] of strings");
                }
                merges.add(new String[] {a, b});
            } else {
                throw new TokenizerFormatException(source, field, "neither \"a b\" nor [a, b]");
            }
        }
        return merges;
    }
}
