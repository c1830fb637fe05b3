package org.mmada4j.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Gradients of every weight of the transformer (fp32 arrays, the weights' shapes), bound by
 * checkpoint name like {@link ModelWeights}: the trainer owns the arrays (e.g. one per tensor of its
 * gradient set) and the backward adds into them.
 */
public record ModelGradients(float[] wte, List<BlockGradients> blocks, float[] lnF, float[] head) {
    public ModelGradients {
        blocks = List.copyOf(blocks);
    }

    /** Binds name → array; every tensor of {@link CheckpointNames#expectedShapes} must be present and sized. */
    public static ModelGradients bind(ModelConfig c, Map<String, float[]> arrays) {
        for (Map.Entry<String, long[]> e : CheckpointNames.expectedShapes(c).entrySet()) {
            float[] a = arrays.get(e.getKey());
            long n = 1;
            for (long s : e.getValue()) {
                n *= s;
            }
            if (a == null || a.length != n) {
                throw new IllegalArgumentException("gradient " + e.getKey() + (a == null ? " missing" : " has "
                        + a.length + " values, expected " + n));
            }
        }
        List<BlockGradients> blocks = new ArrayList<>();
        for (int i = 0; i < c.nLayers(); i++) {
            blocks.add(new BlockGradients(
                    arrays.get(CheckpointNames.block(i, CheckpointNames.ATTN_NORM)),
                    arrays.get(CheckpointNames.block(i, CheckpointNames.Q_PROJ)),
                    arrays.get(CheckpointNames.block(i, CheckpointNames.K_PROJ)),
                    arrays.get(CheckpointNames.block(i, CheckpointNames.V_PROJ)),
                    arrays.get(CheckpointNames.block(i, CheckpointNames.ATTN_OUT)),
                    arrays.get(CheckpointNames.block(i, CheckpointNames.FF_NORM)),
                    arrays.get(CheckpointNames.block(i, CheckpointNames.FF_PROJ)),
                    arrays.get(CheckpointNames.block(i, CheckpointNames.UP_PROJ)),
                    arrays.get(CheckpointNames.block(i, CheckpointNames.FF_OUT))));
        }
        return new ModelGradients(arrays.get(CheckpointNames.WTE), blocks, arrays.get(CheckpointNames.LN_F),
                arrays.get(CheckpointNames.HEAD));
    }
}
