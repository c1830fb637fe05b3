package org.mmada4j.score;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code config.json} of a Hugging Face {@code CLIPModel} directory: {@code text_config},
 * {@code vision_config} and {@code projection_dim}. Absent fields take the defaults of
 * {@code CLIPTextConfig}/{@code CLIPVisionConfig} (ViT-B/32 sizes), which is what the library does when
 * a checkpoint's config omits them — openai/clip-vit-large-patch14 relies on that.
 *
 * @param text          the text transformer
 * @param vision        the vision transformer
 * @param projectionDim width of the shared embedding space
 */
public record ClipConfig(Tower text, Tower vision, int projectionDim) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One transformer tower. Text-only fields ({@code vocabSize}, {@code maxPositions}, token ids) are
     * 0 for the vision tower; vision-only ones ({@code imageSize}, {@code patchSize},
     * {@code channels}) are 0 for the text tower.
     */
    public record Tower(int hidden, int intermediate, int layers, int heads, String hiddenAct, float layerNormEps,
                        int vocabSize, int maxPositions, int bosTokenId, int eosTokenId, int padTokenId,
                        int imageSize, int patchSize, int channels) {
        public int headDim() {
            return hidden / heads;
        }

        /** Patches along one side of the image (vision tower). */
        public int gridSize() {
            return imageSize / patchSize;
        }

        /**
         * HF's text pooling rule: configs written before transformers 4.38 carry {@code eos_token_id: 2},
         * and the pooled token is then the position of the highest id (the EOS of the original
         * tokenizer); otherwise it is the first {@code eos_token_id}.
         */
        public boolean legacyEosPooling() {
            return eosTokenId == 2;
        }
    }

    /** Reads {@code dir/config.json}; errors name the file and the field. */
    public static ClipConfig load(Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no config.json in the CLIP model directory");
        }
        JsonNode root = JSON.readTree(file.toFile());
        return parse(root, file.toString());
    }

    static ClipConfig parse(JsonNode root, String source) {
        JsonNode t = root.path("text_config");
        JsonNode v = root.path("vision_config");
        if (!t.isObject() || !v.isObject()) {
            throw new IllegalArgumentException(source + ": a CLIPModel config needs 'text_config' and 'vision_config'"
                    + " objects (is this a CLIPModel directory?)");
        }
        Tower text = new Tower(num(t, "hidden_size", 512, source, "text_config"),
                num(t, "intermediate_size", 2048, source, "text_config"),
                num(t, "num_hidden_layers", 12, source, "text_config"),
                num(t, "num_attention_heads", 8, source, "text_config"),
                t.path("hidden_act").asText("quick_gelu"), (float) t.path("layer_norm_eps").asDouble(1e-5),
                num(t, "vocab_size", 49408, source, "text_config"),
                num(t, "max_position_embeddings", 77, source, "text_config"),
                t.path("bos_token_id").asInt(49406), t.path("eos_token_id").asInt(49407), t.path("pad_token_id").asInt(1),
                0, 0, 0);
        Tower vision = new Tower(num(v, "hidden_size", 768, source, "vision_config"),
                num(v, "intermediate_size", 3072, source, "vision_config"),
                num(v, "num_hidden_layers", 12, source, "vision_config"),
                num(v, "num_attention_heads", 12, source, "vision_config"),
                v.path("hidden_act").asText("quick_gelu"), (float) v.path("layer_norm_eps").asDouble(1e-5),
                0, 0, 0, 0, 0,
                num(v, "image_size", 224, source, "vision_config"),
                num(v, "patch_size", 32, source, "vision_config"),
                num(v, "num_channels", 3, source, "vision_config"));
        int projection = num(root, "projection_dim", 512, source, "");
        for (Tower tw : new Tower[] {text, vision}) {
            String which = tw == text ? "text_config" : "vision_config";
            if (tw.hidden % tw.heads != 0) {
                throw new IllegalArgumentException(source + ": " + which + ".hidden_size " + tw.hidden
                        + " is not divisible by num_attention_heads " + tw.heads);
            }
            if (!tw.hiddenAct.equals("quick_gelu") && !tw.hiddenAct.equals("gelu")) {
                throw new IllegalArgumentException(source + ": " + which + ".hidden_act '" + tw.hiddenAct
                        + "' is not supported (quick_gelu, gelu)");
            }
        }
        if (vision.imageSize % vision.patchSize != 0) {
            throw new IllegalArgumentException(source + ": vision_config.image_size " + vision.imageSize
                    + " is not a multiple of patch_size " + vision.patchSize);
        }
        return new ClipConfig(text, vision, projection);
    }

    private static int num(JsonNode n, String name, int dflt, String source, String parent) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.canConvertToInt() || v.asInt() < 1) {
            throw new IllegalArgumentException(source + ": " + (parent.isEmpty() ? "" : parent + ".") + name
                    + " must be a positive integer, got " + v);
        }
        return v.asInt();
    }
}
