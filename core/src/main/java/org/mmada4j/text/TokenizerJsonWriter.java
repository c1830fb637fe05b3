package org.mmada4j.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.mmada4j.io.AtomicFiles;

/**
 * Writes a byte-level BPE {@code tokenizer.json} in the layout of the Rust tokenizers library
 * (version 1.0): optional Split regex then ByteLevel without its own regex, BPE model with merges as
 * {@code [a, b]} pairs, ByteLevel decoder, special tokens as added tokens.
 */
public final class TokenizerJsonWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One added token (matched in raw text, never normalized). */
    public record Special(String content, int id) {}

    private TokenizerJsonWriter() {}

    /**
     * @param vocab      token (byte-level alphabet string) to id
     * @param merges     merge rules in rank order, each {a, b}
     * @param specials   added special tokens
     * @param splitRegex Oniguruma regex applied before ByteLevel (GPT style), or null for none
     */
    public static String toJson(Map<String, Integer> vocab, List<String[]> merges, List<Special> specials,
                                String splitRegex) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (Special s : specials) {
            ObjectNode t = added.addObject();
            t.put("id", s.id());
            t.put("content", s.content());
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        root.putNull("normalizer");
        ObjectNode byteLevel = JSON.createObjectNode();
        byteLevel.put("type", "ByteLevel");
        byteLevel.put("add_prefix_space", false);
        byteLevel.put("trim_offsets", false);
        byteLevel.put("use_regex", false);
        if (splitRegex == null) {
            root.set("pre_tokenizer", byteLevel.deepCopy());
        } else {
            ObjectNode seq = root.putObject("pre_tokenizer");
            seq.put("type", "Sequence");
            ArrayNode steps = seq.putArray("pretokenizers");
            ObjectNode split = steps.addObject();
            split.put("type", "Split");
            split.putObject("pattern").put("Regex", splitRegex);
            split.put("behavior", "Isolated");
            split.put("invert", false);
            steps.add(byteLevel.deepCopy());
        }
        root.set("post_processor", byteLevel.deepCopy());
        root.set("decoder", byteLevel.deepCopy());
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode v = model.putObject("vocab");
        vocab.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> v.put(e.getKey(), e.getValue()));
        ArrayNode m = model.putArray("merges");
        for (String[] pair : merges) {
            m.addArray().add(pair[0]).add(pair[1]);
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes atomically (no half-written file on failure). */
    public static void write(Path file, String json) {
        try {
            AtomicFiles.write(file, json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
