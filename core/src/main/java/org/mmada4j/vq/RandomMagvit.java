package org.mmada4j.vq;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mmada4j.io.AtomicFiles;
import org.mmada4j.io.SafetensorsWriter;
import org.mmada4j.io.TensorSpec;
import org.mmada4j.tensor.DType;
import org.mmada4j.tensor.Tensor;

/**
 * MAGVIT-v2 models with random weights (PyTorch's default init) for any configuration: benchmarks at
 * the real size without downloading the checkpoint, and the list of names and shapes a configuration
 * binds. The names come from the same binding code that loads real checkpoints, so they cannot drift.
 */
public final class RandomMagvit {
    private RandomMagvit() {
    }

    /** A model with random weights drawn from {@code seed}. */
    public static Magvit create(MagvitConfig config, long seed) {
        return Magvit.bind(config, WeightBinder.synthetic(seed));
    }

    /** The random state dict ({@code [cout, cin, kh, kw]} conv weights, as PyTorch stores them). */
    public static Map<String, Tensor> stateDict(MagvitConfig config, long seed) {
        WeightBinder wb = WeightBinder.synthetic(seed);
        Magvit.bind(config, wb);
        return wb.created();
    }

    /** Names, dtypes and shapes of every parameter the configuration binds (no LFQ buffers). */
    public static List<TensorSpec> specs(MagvitConfig config) {
        WeightBinder wb = WeightBinder.dryRun();
        Magvit.bind(config, wb);
        List<TensorSpec> out = new ArrayList<>();
        wb.shapes().forEach((name, shape) -> out.add(TensorSpec.of(name, DType.F32, shape)));
        return out;
    }

    /**
     * Writes a MAGVIT directory ({@code pytorch_model.safetensors} + a {@code config.json} holding the
     * constructor arguments) with random weights, loadable by {@link MagvitLoader#load(Path)}.
     */
    public static void writeDirectory(MagvitConfig config, long seed, Path dir) throws IOException {
        Files.createDirectories(dir);
        SafetensorsWriter.write(dir.resolve(MagvitLoader.WEIGHTS_NAME), stateDict(config, seed));
        AtomicFiles.write(dir.resolve(MagvitLoader.CONFIG_NAME), configJson(config).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code config} as the golden {@code magvit_config.json}: encoder, decoder and quantizer arguments. */
    public static String configJson(MagvitConfig config) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.set("encoder", coder(json, config.encoder()));
        root.set("decoder", coder(json, config.decoder()));
        ObjectNode q = root.putObject("quantizer");
        q.put("num_codebook_entry", -1);
        q.put("codebook_dim", config.codebookBits());
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode coder(ObjectMapper json, MagvitConfig.Coder c) {
        ObjectNode n = json.createObjectNode();
        n.put("ch", c.ch());
        c.chMult().forEach(n.putArray("ch_mult")::add);
        c.numResBlocks().forEach(n.putArray("num_res_blocks")::add);
        c.attnResolutions().forEach(n.putArray("attn_resolutions")::add);
        n.put("dropout", 0.0);
        n.put("in_ch", c.inCh());
        n.put("out_ch", c.outCh());
        n.put("resolution", c.resolution());
        n.put("z_channels", c.zChannels());
        n.put("double_z", false);
        return n;
    }
}
