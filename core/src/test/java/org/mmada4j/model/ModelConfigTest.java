package org.mmada4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mmada4j.testing.GoldenSet;

class ModelConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static List<GoldenSet> goldens() {
        return GoldenSet.all();
    }

    @ParameterizedTest
    @MethodSource("goldens")
    void goldenConfigIsReadWithItsOwnValues(GoldenSet g) throws IOException {
        ModelConfig c = ModelConfig.load(g.file("config.json"));
        var j = g.config();
        assertEquals(j.get("d_model").asInt(), c.dModel());
        assertEquals(j.get("n_layers").asInt(), c.nLayers());
        assertEquals(j.get("n_heads").asInt(), c.nHeads());
        assertEquals(j.get("mlp_hidden_size").asInt(), c.mlpHiddenSize());
        assertEquals(j.get("embedding_size").asInt(), c.embeddingSize());
        assertEquals(j.get("mask_token_id").asInt(), c.maskTokenId());
        assertEquals(j.get("rope_theta").asDouble(), c.ropeTheta());
        assertEquals(j.get("codebook_size").asInt(), c.codebookSize());
        assertEquals(j.get("num_vq_tokens").asInt(), c.numVqTokens());
        // meta.json states the parameter count of the reference model
        assertEquals(g.meta().get("model_params").asLong(), c.parameterCount());
    }

    @Test
    void mmada8bShapeHasTheReferenceParameterCount() throws IOException {
        // MMADA-REFERENCE §1.2: 8,082,690,048 parameters.
        ObjectNode c = tiny();
        c.put("d_model", 4096).put("n_layers", 32).put("n_heads", 32).put("n_kv_heads", 32)
                .put("mlp_hidden_size", 12288).put("vocab_size", 134656).put("embedding_size", 134656)
                .put("llm_vocab_size", 126464).put("codebook_size", 8192).put("mask_token_id", 126336);
        assertEquals(8_082_690_048L, ModelConfig.load(write(c)).parameterCount());
    }

    @Test
    void unsupportedFeaturesNameTheField() throws IOException {
        expectField("include_bias", c -> c.put("include_bias", true));
        expectField("include_qkv_bias", c -> c.put("include_qkv_bias", true));
        expectField("bias_for_layer_norm", c -> c.put("bias_for_layer_norm", true));
        expectField("alibi", c -> c.put("alibi", true));
        expectField("weight_tying", c -> c.put("weight_tying", true));
        expectField("tie_word_embeddings", c -> c.put("tie_word_embeddings", true));
        expectField("block_type", c -> c.put("block_type", "sequential"));
        expectField("activation_type", c -> c.put("activation_type", "gelu"));
        expectField("layer_norm_type", c -> c.put("layer_norm_type", "default"));
        expectField("attention_layer_norm", c -> c.put("attention_layer_norm", true));
        expectField("rope", c -> c.put("rope", false));
        expectField("scale_logits", c -> c.put("scale_logits", true));
        expectField("input_emb_norm", c -> c.put("input_emb_norm", true));
        expectField("n_kv_heads", c -> c.put("n_kv_heads", 3));
        expectField("n_kv_heads", c -> c.put("n_kv_heads", 2)); // divisible, but GQA is not implemented
        // absent switches take LLaDA's defaults, which are not MMaDA's
        expectField("include_bias", c -> c.remove("include_bias"));
        expectField("block_type", c -> c.remove("block_type"));
    }

    @Test
    void inconsistentSizesNameTheField() throws IOException {
        expectField("d_model", c -> c.put("d_model", 66));
        expectField("n_heads", c -> c.put("n_heads", 64).put("n_kv_heads", 64)); // head_dim 1 is odd
        expectField("embedding_size", c -> c.put("embedding_size", 100));
        expectField("mask_token_id", c -> c.put("mask_token_id", 384));
        expectField("codebook_size", c -> c.put("codebook_size", 100));
        expectField("n_layers", c -> c.put("n_layers", 0));
        expectField("d_model", c -> c.remove("d_model"));
        expectField("d_model", c -> c.put("d_model", "64"));
        expectField("rms_norm_eps", c -> c.put("rms_norm_eps", -1.0));
        expectField("rope_theta", c -> c.put("rope_theta", 0));
    }

    @Test
    void nonJsonFileIsNamed() throws IOException {
        Path f = tmp.resolve("config.json");
        Files.writeString(f, "{ not json");
        IOException e = assertThrows(IOException.class, () -> ModelConfig.load(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }

    private void expectField(String field, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode c = tiny();
        edit.accept(c);
        Path f = write(c);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.load(f),
                "expected a failure on " + field);
        assertTrue(e.getMessage().contains("'" + field + "'"), field + " not named in: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(f.toString()), "file not named in: " + e.getMessage());
    }

    private ObjectNode tiny() throws IOException {
        return (ObjectNode) JSON.readTree(GoldenSet.tiny().file("config.json").toFile()); // the edits below are tiny's
    }

    private Path write(ObjectNode c) throws IOException {
        Path f = Files.createTempFile(tmp, "config", ".json");
        JSON.writeValue(f.toFile(), c);
        return f;
    }
}
