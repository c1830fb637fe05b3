package org.mmada4j.vq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mmada4j.io.SafetensorsFile;
import org.mmada4j.tensor.Tensor;

/**
 * Loads a MAGVIT-v2 directory in the Hugging Face layout ({@code showlab/magvitv2}):
 * {@code pytorch_model.safetensors} (fp32 state dict, names as {@code MAGVITv2.state_dict()}) and
 * {@code config.json} (constructor arguments, or none for the real architecture, see
 * {@link MagvitConfig#fromJson}). Weights are repacked into heap arrays while binding, so the
 * mapping is closed before this returns.
 *
 * <p>A golden-set directory ({@code magvit.safetensors} + {@code magvit_config.json}, next to the LLM's
 * own {@code config.json}) is accepted too, so {@code --vq} can point at a golden set directly.
 */
public final class MagvitLoader {
    /** The weights file name {@code models/modeling_utils.py} looks for (SAFETENSORS_WEIGHTS_NAME). */
    public static final String WEIGHTS_NAME = "pytorch_model.safetensors";
    public static final String CONFIG_NAME = "config.json";
    /** File names of the golden sets. */
    public static final String GOLDEN_WEIGHTS_NAME = "magvit.safetensors";
    public static final String GOLDEN_CONFIG_NAME = "magvit_config.json";

    private MagvitLoader() {
    }

    /** A directory holding {@link #WEIGHTS_NAME} and {@link #CONFIG_NAME} (or the golden-set pair). */
    public static Magvit load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": not a MAGVIT directory (expected " + WEIGHTS_NAME + " and " + CONFIG_NAME + ")");
        }
        if (!Files.exists(dir.resolve(WEIGHTS_NAME)) && Files.exists(dir.resolve(GOLDEN_WEIGHTS_NAME))) {
            return load(dir.resolve(GOLDEN_CONFIG_NAME), dir.resolve(GOLDEN_WEIGHTS_NAME));
        }
        return load(dir.resolve(CONFIG_NAME), dir.resolve(WEIGHTS_NAME));
    }

    /** Explicit files (the golden sets name them {@code magvit_config.json} and {@code magvit.safetensors}). */
    public static Magvit load(Path configFile, Path weightsFile) throws IOException {
        MagvitConfig config = readConfig(configFile);
        if (!Files.isRegularFile(weightsFile)) {
            throw new IOException(weightsFile + ": MAGVIT weights not found");
        }
        try (SafetensorsFile st = SafetensorsFile.open(weightsFile)) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (String name : st.names()) {
                tensors.put(name, st.get(name));
            }
            return Magvit.bind(config, tensors, weightsFile.toString());
        }
    }

    public static MagvitConfig readConfig(Path configFile) throws IOException {
        if (!Files.isRegularFile(configFile)) {
            throw new IOException(configFile + ": MAGVIT config not found");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(configFile.toFile());
        } catch (IOException e) {
            throw new IOException(configFile + ": not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException(configFile + ": expected a JSON object");
        }
        return MagvitConfig.fromJson(root, configFile.toString());
    }
}
