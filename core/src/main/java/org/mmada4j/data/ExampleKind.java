package org.mmada4j.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The five JSONL formats (see the package documentation) and their line parsers. */
public enum ExampleKind {
    TEXT, CHAT, CAPTION, VQA, R2I;

    public static ExampleKind parse(String name) {
        for (ExampleKind k : values()) {
            if (k.name().equalsIgnoreCase(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown dataset kind '" + name + "' (text, chat, caption, vqa, r2i)");
    }

    /** Parses one JSON object; {@code baseDir} resolves relative image paths. */
    TrainingExample read(JsonNode n, String source, Path baseDir) {
        if (!n.isObject()) {
            throw new DataFormatException(source + ": line is not a JSON object");
        }
        return switch (this) {
            case TEXT -> new TrainingExample.Text(source, string(n, "text", source));
            case CHAT -> new TrainingExample.Chat(source, messages(n, source));
            case CAPTION -> new TrainingExample.Caption(source, image(n, source, baseDir), string(n, "caption", source));
            case VQA -> new TrainingExample.Vqa(source, image(n, source, baseDir), messages(n, source));
            case R2I -> new TrainingExample.R2i(source, image(n, source, baseDir), string(n, "prompt", source),
                    string(n, "reasoning", source));
        };
    }

    private static String string(JsonNode n, String field, String source) {
        JsonNode f = n.get(field);
        if (f == null || !f.isTextual()) {
            throw new DataFormatException(source + ": field '" + field + "' missing or not a string");
        }
        return f.asText();
    }

    private static List<TrainingExample.Message> messages(JsonNode n, String source) {
        JsonNode m = n.get("messages");
        if (m == null || !m.isArray() || m.isEmpty()) {
            throw new DataFormatException(source + ": field 'messages' missing or not a non-empty array");
        }
        List<TrainingExample.Message> out = new ArrayList<>();
        for (int i = 0; i < m.size(); i++) {
            JsonNode e = m.get(i);
            String role = e.path("role").asText("");
            if (!role.equals("user") && !role.equals("assistant") && !role.equals("system")) {
                throw new DataFormatException(source + ": messages[" + i + "].role must be user, assistant or system, got '" + role + "'");
            }
            if (!e.path("content").isTextual()) {
                throw new DataFormatException(source + ": messages[" + i + "].content missing or not a string");
            }
            out.add(new TrainingExample.Message(role, e.get("content").asText()));
        }
        if (!out.get(out.size() - 1).role().equals("assistant")) {
            throw new DataFormatException(source + ": the last message must be the assistant's answer");
        }
        return out;
    }

    private static TrainingExample.ImageRef image(JsonNode n, String source, Path baseDir) {
        JsonNode p = n.get("image");
        JsonNode b = n.get("image_base64");
        if ((p == null) == (b == null)) {
            throw new DataFormatException(source + ": exactly one of 'image' (path) and 'image_base64' is required");
        }
        if (p != null) {
            if (!p.isTextual() || p.asText().isBlank()) {
                throw new DataFormatException(source + ": field 'image' must be a path string");
            }
            return TrainingExample.ImageRef.ofPath(baseDir.resolve(p.asText()).normalize());
        }
        try {
            return TrainingExample.ImageRef.ofBytes(Base64.getMimeDecoder().decode(b.asText()));
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(source + ": field 'image_base64' is not valid base64: " + e.getMessage());
        }
    }
}
