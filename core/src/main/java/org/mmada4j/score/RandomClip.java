package org.mmada4j.score;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.mmada4j.io.SafetensorsWriter;
import org.mmada4j.io.TensorSpec;
import org.mmada4j.tensor.DType;

/**
 * A CLIPModel directory with random fp32 weights and HF's tensor names, for benchmarks and tests
 * where no checkpoint can be downloaded: the architecture and cost of the real model, not its
 * scores. Matrices are uniform in ±1/√fan_in, LayerNorm weights 1 and biases 0, embeddings ±0.02;
 * values depend only on the seed, the tensor name and the element index. Written streaming, so a
 * ViT-L-sized model does not need its size in heap.
 */
public final class RandomClip {
    private RandomClip() {
    }

    /** openai/clip-vit-base-patch32's sizes (HF's defaults: ViT-B/32, 224 px, text 512 × 12). */
    public static ClipConfig vitB32() {
        return new ClipConfig(
                new ClipConfig.Tower(512, 2048, 12, 8, "quick_gelu", 1e-5f, 49408, 77, 49406, 49407, 1, 0, 0, 0),
                new ClipConfig.Tower(768, 3072, 12, 12, "quick_gelu", 1e-5f, 0, 0, 0, 0, 0, 224, 32, 3), 512);
    }

    /** Every tensor a CLIPModel of this config holds, in HF's names. */
    public static List<TensorSpec> specs(ClipConfig c) {
        List<TensorSpec> s = new ArrayList<>();
        ClipConfig.Tower t = c.text();
        ClipConfig.Tower v = c.vision();
        s.add(TensorSpec.of("text_model.embeddings.token_embedding.weight", DType.F32, t.vocabSize(), t.hidden()));
        s.add(TensorSpec.of("text_model.embeddings.position_embedding.weight", DType.F32, t.maxPositions(), t.hidden()));
        layers(s, "text_model", t);
        norm(s, "text_model.final_layer_norm", t.hidden());
        int p = v.patchSize();
        s.add(TensorSpec.of("vision_model.embeddings.class_embedding", DType.F32, v.hidden()));
        s.add(TensorSpec.of("vision_model.embeddings.patch_embedding.weight", DType.F32, v.hidden(), v.channels(), p, p));
        s.add(TensorSpec.of("vision_model.embeddings.position_embedding.weight", DType.F32,
                v.gridSize() * v.gridSize() + 1, v.hidden()));
        norm(s, "vision_model.pre_layrnorm", v.hidden());
        layers(s, "vision_model", v);
        norm(s, "vision_model.post_layernorm", v.hidden());
        s.add(TensorSpec.of("visual_projection.weight", DType.F32, c.projectionDim(), v.hidden()));
        s.add(TensorSpec.of("text_projection.weight", DType.F32, c.projectionDim(), t.hidden()));
        s.add(TensorSpec.of("logit_scale", DType.F32));
        return s;
    }

    private static void layers(List<TensorSpec> s, String prefix, ClipConfig.Tower c) {
        int d = c.hidden();
        for (int i = 0; i < c.layers(); i++) {
            String p = prefix + ".encoder.layers." + i;
            norm(s, p + ".layer_norm1", d);
            norm(s, p + ".layer_norm2", d);
            for (String m : List.of("q_proj", "k_proj", "v_proj", "out_proj")) {
                s.add(TensorSpec.of(p + ".self_attn." + m + ".weight", DType.F32, d, d));
                s.add(TensorSpec.of(p + ".self_attn." + m + ".bias", DType.F32, d));
            }
            s.add(TensorSpec.of(p + ".mlp.fc1.weight", DType.F32, c.intermediate(), d));
            s.add(TensorSpec.of(p + ".mlp.fc1.bias", DType.F32, c.intermediate()));
            s.add(TensorSpec.of(p + ".mlp.fc2.weight", DType.F32, d, c.intermediate()));
            s.add(TensorSpec.of(p + ".mlp.fc2.bias", DType.F32, d));
        }
    }

    private static void norm(List<TensorSpec> s, String prefix, int d) {
        s.add(TensorSpec.of(prefix + ".weight", DType.F32, d));
        s.add(TensorSpec.of(prefix + ".bias", DType.F32, d));
    }

    /** Writes {@code dir/config.json} and {@code dir/model.safetensors}. */
    public static void writeDirectory(ClipConfig c, long seed, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), configJson(c));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), specs(c), Map.of("format", "pt"),
                (spec, byteOffset, chunk) -> fill(seed, spec, byteOffset, chunk));
    }

    private static void fill(long seed, TensorSpec spec, long byteOffset, MemorySegment chunk) {
        String name = spec.name();
        long n = chunk.byteSize() / 4;
        if (name.equals("logit_scale")) {
            chunk.set(ValueLayout.JAVA_FLOAT_UNALIGNED, 0, (float) Math.log(1 / 0.07));
            return;
        }
        boolean norm = name.contains("norm") || name.contains("layrnorm");
        if (norm) {
            float value = name.endsWith(".weight") ? 1f : 0f;
            for (long i = 0; i < n; i++) {
                chunk.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, value);
            }
            return;
        }
        double bound = spec.rank() >= 2 && !name.contains("embedding") ? 1 / Math.sqrt(spec.elementCount() / spec.dim(0))
                : 0.02;
        if (name.endsWith(".bias")) {
            bound = 0.02;
        }
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + name.hashCode() * 31L + byteOffset);
        for (long i = 0; i < n; i++) {
            chunk.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) ((2 * r.nextDouble() - 1) * bound));
        }
    }

    /** The config.json of a CLIPModel with these sizes, in HF's layout. */
    public static String configJson(ClipConfig c) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.putArray("architectures").add("CLIPModel");
        root.put("model_type", "clip");
        root.put("projection_dim", c.projectionDim());
        root.put("logit_scale_init_value", 2.6592);
        ClipConfig.Tower t = c.text();
        ObjectNode tc = tower(root.putObject("text_config"), t);
        tc.put("vocab_size", t.vocabSize()).put("max_position_embeddings", t.maxPositions())
                .put("bos_token_id", t.bosTokenId()).put("eos_token_id", t.eosTokenId()).put("pad_token_id", t.padTokenId());
        ClipConfig.Tower v = c.vision();
        tower(root.putObject("vision_config"), v).put("image_size", v.imageSize()).put("patch_size", v.patchSize())
                .put("num_channels", v.channels());
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode tower(ObjectNode n, ClipConfig.Tower c) {
        return n.put("hidden_size", c.hidden()).put("intermediate_size", c.intermediate())
                .put("num_hidden_layers", c.layers()).put("num_attention_heads", c.heads())
                .put("hidden_act", c.hiddenAct()).put("layer_norm_eps", c.layerNormEps());
    }
}
