package org.mmada4j.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.mmada4j.tensor.DType;
import org.mmada4j.tensor.Tensor;

/**
 * All weights of the transformer, bound strictly by checkpoint name ({@link CheckpointNames}).
 *
 * <p>Tensors stay in their stored dtype (F32, BF16 or F16) and memory: views into the mapped
 * checkpoint, widened to fp32 inside the kernels. Binding fails, naming the tensor and the source,
 * on a missing tensor, an extra one (nanoGPT's "same keys" assert), a shape that does not match the
 * config, or a dtype the kernels cannot read.
 *
 * @param wte    [V, d]  token embedding
 * @param blocks n_layers blocks
 * @param lnF    [d]     final RMSNorm
 * @param head   [V, d]  untied output head (model.transformer.ff_out)
 */
public record ModelWeights(Tensor wte, List<BlockWeights> blocks, Tensor lnF, Tensor head) {
    public ModelWeights {
        blocks = List.copyOf(blocks);
    }

    /**
     * Binds {@code tensors} (name → tensor, e.g. every tensor of a safetensors checkpoint) to the
     * config's layout; {@code source} names the checkpoint in error messages.
     */
    public static ModelWeights bind(ModelConfig config, Map<String, Tensor> tensors, String source) {
        Map<String, long[]> expected = CheckpointNames.expectedShapes(config);
        TreeSet<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(tensors.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(source + ": missing tensor" + (missing.size() > 1 ? "s " : " ")
                    + abbreviate(missing) + " (config: " + config.nLayers() + " layers)");
        }
        TreeSet<String> extra = new TreeSet<>(tensors.keySet());
        extra.removeAll(expected.keySet());
        if (!extra.isEmpty()) {
            throw new IllegalArgumentException(source + ": unexpected tensor" + (extra.size() > 1 ? "s " : " ")
                    + abbreviate(extra) + " not part of an MMaDA model with " + config.nLayers() + " layers");
        }
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            Tensor t = tensors.get(e.getKey());
            if (!Arrays.equals(t.shape(), e.getValue())) {
                throw new IllegalArgumentException(source + ": tensor " + e.getKey() + " has shape "
                        + Arrays.toString(t.shape()) + ", the config implies " + Arrays.toString(e.getValue()));
            }
            if (!t.dtype().isComputeStorage()) {
                throw new IllegalArgumentException(source + ": tensor " + e.getKey() + " has dtype " + t.dtype()
                        + "; weights must be " + DType.F32 + ", " + DType.BF16 + " or " + DType.F16);
            }
        }
        List<BlockWeights> blocks = new ArrayList<>(config.nLayers());
        for (int i = 0; i < config.nLayers(); i++) {
            blocks.add(new BlockWeights(
                    tensors.get(CheckpointNames.block(i, CheckpointNames.ATTN_NORM)),
                    tensors.get(CheckpointNames.block(i, CheckpointNames.Q_PROJ)),
                    tensors.get(CheckpointNames.block(i, CheckpointNames.K_PROJ)),
                    tensors.get(CheckpointNames.block(i, CheckpointNames.V_PROJ)),
                    tensors.get(CheckpointNames.block(i, CheckpointNames.ATTN_OUT)),
                    tensors.get(CheckpointNames.block(i, CheckpointNames.FF_NORM)),
                    tensors.get(CheckpointNames.block(i, CheckpointNames.FF_PROJ)),
                    tensors.get(CheckpointNames.block(i, CheckpointNames.UP_PROJ)),
                    tensors.get(CheckpointNames.block(i, CheckpointNames.FF_OUT))));
        }
        return new ModelWeights(tensors.get(CheckpointNames.WTE), blocks,
                tensors.get(CheckpointNames.LN_F), tensors.get(CheckpointNames.HEAD));
    }

    private static String abbreviate(TreeSet<String> names) {
        List<String> list = new ArrayList<>(names);
        if (list.size() <= 5) {
            return String.join(", ", list);
        }
        return String.join(", ", list.subList(0, 5)) + " and " + (list.size() - 5) + " more";
    }
}
