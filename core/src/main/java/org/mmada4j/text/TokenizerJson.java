package org.mmada4j.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the components of a Hugging Face {@code tokenizer.json} (the serde layout of the Rust
 * tokenizers library). Every unsupported or malformed component fails with the JSON path of the
 * field at fault. Of {@code post_processor} only the single-sequence special tokens are read (for
 * {@link BpeTokenizer#encodeWithSpecialTokens}); {@code truncation} and {@code padding} are not: callers
 * truncate and pad themselves.
 */
final class TokenizerJson {
    private final String source;

    TokenizerJson(String source) {
        this.source = source;
    }

    private TokenizerFormatException error(String field, String problem) {
        return new TokenizerFormatException(source, field, problem);
    }

    private String type(JsonNode node, String field) {
        JsonNode t = node.get("type");
        if (t == null || !t.isTextual()) {
            throw error(field + ".type", "missing component type");
        }
        return t.asText();
    }

    private static boolean bool(JsonNode node, String name, boolean dflt) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? dflt : v.asBoolean();
    }

    private String text(JsonNode node, String name, String field) {
        JsonNode v = node.get(name);
        if (v == null || !v.isTextual()) {
            throw error(field + "." + name, "missing or not a string");
        }
        return v.asText();
    }

    private JsonNode array(JsonNode node, String name, String field) {
        JsonNode v = node.get(name);
        if (v == null || !v.isArray()) {
            throw error(field + "." + name, "missing or not an array");
        }
        return v;
    }

    /** {"Regex": "..."} (Oniguruma syntax) or {"String": "..."} (a literal). */
    Pattern pattern(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            throw error(field, "missing pattern object");
        }
        if (node.has("Regex")) {
            return HfRegex.compile(node.get("Regex").asText(), source, field + ".Regex");
        }
        if (node.has("String")) {
            return Pattern.compile(Pattern.quote(node.get("String").asText()));
        }
        throw error(field, "pattern is neither {\"Regex\": …} nor {\"String\": …}");
    }

    Normalizer normalizer(JsonNode n, String field) {
        if (n == null || n.isNull()) {
            return null;
        }
        return switch (type(n, field)) {
            case "NFC" -> new Normalizer.Unicode(java.text.Normalizer.Form.NFC);
            case "NFD" -> new Normalizer.Unicode(java.text.Normalizer.Form.NFD);
            case "NFKC" -> new Normalizer.Unicode(java.text.Normalizer.Form.NFKC);
            case "NFKD" -> new Normalizer.Unicode(java.text.Normalizer.Form.NFKD);
            case "Lowercase" -> new Normalizer.Lowercase();
            case "StripAccents" -> new Normalizer.StripAccents();
            case "Strip" -> new Normalizer.Strip(bool(n, "strip_left", true), bool(n, "strip_right", true));
            case "Prepend" -> new Normalizer.Prepend(text(n, "prepend", field));
            case "Replace" -> new Normalizer.Replace(pattern(n.get("pattern"), field + ".pattern"),
                    text(n, "content", field));
            case "Sequence" -> {
                List<Normalizer> steps = new ArrayList<>();
                JsonNode arr = array(n, "normalizers", field);
                for (int i = 0; i < arr.size(); i++) {
                    steps.add(normalizer(arr.get(i), field + ".normalizers[" + i + "]"));
                }
                yield new Normalizer.Sequence(steps);
            }
            default -> throw error(field + ".type", "unsupported normalizer '" + type(n, field) + "'");
        };
    }

    PreTokenizer preTokenizer(JsonNode n, String field) {
        if (n == null || n.isNull()) {
            return null;
        }
        return switch (type(n, field)) {
            case "Split" -> new PreTokenizer.Split(pattern(n.get("pattern"), field + ".pattern"),
                    behavior(n.get("behavior"), field + ".behavior"), bool(n, "invert", false));
            case "ByteLevel" -> new PreTokenizer.ByteLevel(bool(n, "add_prefix_space", true), bool(n, "use_regex", true));
            case "Digits" -> new PreTokenizer.Digits(bool(n, "individual_digits", false));
            case "Metaspace" -> new PreTokenizer.Metaspace(replacement(n, field), prependScheme(n),
                    bool(n, "split", true));
            case "Whitespace" -> new PreTokenizer.Split(HfRegex.compile("\\w+|[^\\w\\s]+", source, field),
                    PreTokenizer.Behavior.REMOVED, true);
            case "WhitespaceSplit" -> new PreTokenizer.Split(HfRegex.compile("\\s+", source, field),
                    PreTokenizer.Behavior.REMOVED, false);
            case "Punctuation" -> new PreTokenizer.Split(
                    Pattern.compile("[\\p{P}\\x21-\\x2F\\x3A-\\x40\\x5B-\\x60\\x7B-\\x7E]"),
                    n.has("behavior") ? behavior(n.get("behavior"), field + ".behavior")
                            : PreTokenizer.Behavior.ISOLATED, false);
            case "Sequence" -> {
                List<PreTokenizer> steps = new ArrayList<>();
                JsonNode arr = array(n, "pretokenizers", field);
                for (int i = 0; i < arr.size(); i++) {
                    steps.add(preTokenizer(arr.get(i), field + ".pretokenizers[" + i + "]"));
                }
                yield new PreTokenizer.Sequence(steps);
            }
            default -> throw error(field + ".type", "unsupported pre-tokenizer '" + type(n, field) + "'");
        };
    }

    private PreTokenizer.Behavior behavior(JsonNode n, String field) {
        if (n == null || !n.isTextual()) {
            throw error(field, "missing split behavior");
        }
        return switch (n.asText()) {
            case "Removed" -> PreTokenizer.Behavior.REMOVED;
            case "Isolated" -> PreTokenizer.Behavior.ISOLATED;
            case "MergedWithPrevious" -> PreTokenizer.Behavior.MERGED_WITH_PREVIOUS;
            case "MergedWithNext" -> PreTokenizer.Behavior.MERGED_WITH_NEXT;
            case "Contiguous" -> PreTokenizer.Behavior.CONTIGUOUS;
            default -> throw error(field, "unknown split behavior '" + n.asText() + "'");
        };
    }

    private char replacement(JsonNode n, String field) {
        String r = text(n, "replacement", field);
        if (r.length() != 1) {
            throw error(field + ".replacement", "must be one character");
        }
        return r.charAt(0);
    }

    /** prepend_scheme (tokenizers >= 0.14) or the legacy add_prefix_space. */
    private static String prependScheme(JsonNode n) {
        if (n.has("prepend_scheme")) {
            return n.get("prepend_scheme").asText();
        }
        return bool(n, "add_prefix_space", true) ? "always" : "never";
    }

    Decoder decoder(JsonNode n, String field) {
        if (n == null || n.isNull()) {
            return null;
        }
        return switch (type(n, field)) {
            case "ByteLevel" -> new Decoder.ByteLevel();
            case "ByteFallback" -> new Decoder.ByteFallback();
            case "Fuse" -> new Decoder.Fuse();
            case "Strip" -> {
                String c = text(n, "content", field);
                if (c.length() != 1) {
                    throw error(field + ".content", "must be one character");
                }
                yield new Decoder.Strip(c.charAt(0), n.path("start").asInt(0), n.path("stop").asInt(0));
            }
            case "Replace" -> new Decoder.Replace(pattern(n.get("pattern"), field + ".pattern"), text(n, "content", field));
            case "BPEDecoder" -> new Decoder.Bpe(n.path("suffix").isTextual() ? n.get("suffix").asText() : "</w>");
            case "Metaspace" -> new Decoder.Metaspace(replacement(n, field), !prependScheme(n).equals("never"));
            case "Sequence" -> {
                List<Decoder> steps = new ArrayList<>();
                JsonNode arr = array(n, "decoders", field);
                for (int i = 0; i < arr.size(); i++) {
                    steps.add(decoder(arr.get(i), field + ".decoders[" + i + "]"));
                }
                yield new Decoder.Sequence(steps);
            }
            default -> throw error(field + ".type", "unsupported decoder '" + type(n, field) + "'");
        };
    }

    /**
     * The single-sequence special tokens of a {@code post_processor}: TemplateProcessing ({@code single}),
     * RobertaProcessing and BertProcessing ({@code cls} … {@code sep}); ByteLevel and absent add none.
     */
    PostProcessor postProcessor(JsonNode n, String field) {
        if (n == null || n.isNull()) {
            return PostProcessor.NONE;
        }
        return switch (type(n, field)) {
            case "ByteLevel" -> PostProcessor.NONE;
            case "RobertaProcessing", "BertProcessing" -> new PostProcessor(new int[] {idOfPair(n, "cls", field)},
                    new int[] {idOfPair(n, "sep", field)});
            case "TemplateProcessing" -> template(n, field);
            case "Sequence" -> {
                JsonNode arr = array(n, "processors", field);
                PostProcessor out = PostProcessor.NONE;
                for (int i = 0; i < arr.size(); i++) {
                    PostProcessor p = postProcessor(arr.get(i), field + ".processors[" + i + "]");
                    if (p.unsupported() != null) {
                        yield p;
                    }
                    if (p.added() > 0) {
                        if (out.added() > 0) {
                            throw error(field, "more than one processor adds special tokens");
                        }
                        out = p;
                    }
                }
                yield out;
            }
            default -> PostProcessor.unsupported(error(field + ".type", "post-processor '" + type(n, field)
                    + "' is not implemented, so special tokens cannot be added").getMessage());
        };
    }

    /** {@code "cls": ["<s>", 0]}: the id of a [token, id] pair. */
    private int idOfPair(JsonNode n, String name, String field) {
        JsonNode p = n.get(name);
        if (p == null || !p.isArray() || p.size() != 2 || !p.get(1).canConvertToInt()) {
            throw error(field + "." + name, "must be a [token, id] pair");
        }
        return p.get(1).asInt();
    }

    private PostProcessor template(JsonNode n, String field) {
        JsonNode single = array(n, "single", field);
        JsonNode specials = n.path("special_tokens");
        IntList prefix = new IntList(4);
        IntList suffix = new IntList(4);
        boolean seenSequence = false;
        for (int i = 0; i < single.size(); i++) {
            JsonNode piece = single.get(i);
            String f = field + ".single[" + i + "]";
            if (piece.has("Sequence")) {
                if (seenSequence || !piece.get("Sequence").path("id").asText("A").equals("A")) {
                    throw error(f, "a single-sequence template holds sequence A exactly once");
                }
                seenSequence = true;
            } else if (piece.has("SpecialToken")) {
                String id = piece.get("SpecialToken").path("id").asText();
                JsonNode ids = specials.path(id).path("ids");
                if (!ids.isArray()) {
                    throw error(field + ".special_tokens", "no entry with 'ids' for '" + id + "'");
                }
                for (JsonNode x : ids) {
                    (seenSequence ? suffix : prefix).add(x.asInt());
                }
            } else {
                throw error(f, "neither {\"Sequence\": …} nor {\"SpecialToken\": …}");
            }
        }
        if (!seenSequence) {
            throw error(field + ".single", "the template has no {\"Sequence\": {\"id\": \"A\"}}");
        }
        return new PostProcessor(prefix.toArray(), suffix.toArray());
    }

    /** The BPE model: {@code m} is model without vocab and merges, which come streamed. */
    BpeModel model(JsonNode m, Map<String, Integer> vocab, List<String[]> merges) {
        if (m == null || m.isNull()) {
            throw error("model", "missing");
        }
        String type = m.has("type") ? m.get("type").asText() : (merges != null ? "BPE" : "?");
        if (!type.equals("BPE")) {
            throw error("model.type", "unsupported model '" + type + "' (only BPE is implemented)");
        }
        JsonNode dropout = m.get("dropout");
        if (dropout != null && !dropout.isNull() && dropout.asDouble() > 0) {
            throw error("model.dropout", "BPE dropout is a training-time augmentation and is not supported");
        }
        if (vocab == null) {
            throw error("model.vocab", "missing or not an object");
        }
        if (merges == null) {
            throw error("model.merges", "missing or not an array");
        }
        int maxId = -1;
        for (int id : vocab.values()) {
            maxId = Math.max(maxId, id);
        }
        String[] idToToken = new String[maxId + 1];
        vocab.forEach((k, id) -> idToToken[id] = k);
        String prefix = m.path("continuing_subword_prefix").isTextual() ? m.get("continuing_subword_prefix").asText() : "";
        String suffix = m.path("end_of_word_suffix").isTextual() ? m.get("end_of_word_suffix").asText() : "";
        MergeTable table = new MergeTable(merges.size());
        for (int r = 0; r < merges.size(); r++) {
            String a = merges.get(r)[0], b = merges.get(r)[1];
            Integer ia = vocab.get(a), ib = vocab.get(b);
            if (ia == null || ib == null) {
                throw error("model.merges[" + r + "]", "token '" + (ia == null ? a : b) + "' is not in model.vocab");
            }
            String merged = a + (b.startsWith(prefix) ? b.substring(prefix.length()) : b);
            Integer im = vocab.get(merged);
            if (im == null) {
                throw error("model.merges[" + r + "]", "merged token '" + merged + "' is not in model.vocab");
            }
            table.put(ia, ib, r, im);
        }
        Integer unkId = null;
        if (m.hasNonNull("unk_token")) {
            unkId = vocab.get(m.get("unk_token").asText());
            if (unkId == null) {
                throw error("model.unk_token", "'" + m.get("unk_token").asText() + "' is not in model.vocab");
            }
        }
        return new BpeModel(vocab, idToToken, table, bool(m, "ignore_merges", false), bool(m, "byte_fallback", false),
                bool(m, "fuse_unk", false), unkId, prefix, suffix);
    }

    List<AddedTokens.Token> addedTokens(JsonNode arr) {
        List<AddedTokens.Token> out = new ArrayList<>();
        if (arr == null || arr.isNull()) {
            return out;
        }
        if (!arr.isArray()) {
            throw error("added_tokens", "not an array");
        }
        for (int i = 0; i < arr.size(); i++) {
            JsonNode t = arr.get(i);
            String f = "added_tokens[" + i + "]";
            if (!t.path("id").canConvertToInt() || !t.path("content").isTextual()) {
                throw error(f, "needs an integer 'id' and a string 'content'");
            }
            out.add(new AddedTokens.Token(t.get("id").asInt(), t.get("content").asText(), bool(t, "special", false),
                    bool(t, "single_word", false), bool(t, "lstrip", false), bool(t, "rstrip", false),
                    bool(t, "normalized", !bool(t, "special", false))));
        }
        return out;
    }
}
