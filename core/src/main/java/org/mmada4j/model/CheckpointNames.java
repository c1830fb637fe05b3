package org.mmada4j.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place that lists every tensor of an MMaDA checkpoint, with the names of the reference's
 * {@code MMadaModelLM.state_dict()} (MMADA-REFERENCE §1.3) and the shapes the config implies.
 * Linear weights are stored {@code [out, in]} (nn.Linear), so {@code y = x·Wᵀ}.
 */
public final class CheckpointNames {
    public static final String PREFIX = "model.transformer.";
    public static final String WTE = PREFIX + "wte.weight";
    public static final String LN_F = PREFIX + "ln_f.weight";
    public static final String HEAD = PREFIX + "ff_out.weight";

    /** Per-block tensor suffixes, in checkpoint order. */
    public static final String ATTN_NORM = "attn_norm.weight";
    public static final String Q_PROJ = "q_proj.weight";
    public static final String K_PROJ = "k_proj.weight";
    public static final String V_PROJ = "v_proj.weight";
    public static final String ATTN_OUT = "attn_out.weight";
    public static final String FF_NORM = "ff_norm.weight";
    public static final String FF_PROJ = "ff_proj.weight";
    public static final String UP_PROJ = "up_proj.weight";
    public static final String FF_OUT = "ff_out.weight";

    private CheckpointNames() {
    }

    /** {@code model.transformer.blocks.{layer}.{suffix}}. */
    public static String block(int layer, String suffix) {
        return PREFIX + "blocks." + layer + "." + suffix;
    }

    /** Every tensor name with its expected shape, in a stable order (wte, blocks 0..n-1, ln_f, head). */
    public static Map<String, long[]> expectedShapes(ModelConfig c) {
        long d = c.dModel();
        long m = c.mlpHiddenSize();
        long kv = (long) c.nKvHeads() * c.headDim();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put(WTE, new long[] {c.embeddingSize(), d});
        for (int i = 0; i < c.nLayers(); i++) {
            shapes.put(block(i, ATTN_NORM), new long[] {d});
            shapes.put(block(i, Q_PROJ), new long[] {d, d});
            shapes.put(block(i, K_PROJ), new long[] {kv, d});
            shapes.put(block(i, V_PROJ), new long[] {kv, d});
            shapes.put(block(i, ATTN_OUT), new long[] {d, d});
            shapes.put(block(i, FF_NORM), new long[] {d});
            shapes.put(block(i, FF_PROJ), new long[] {m, d});
            shapes.put(block(i, UP_PROJ), new long[] {m, d});
            shapes.put(block(i, FF_OUT), new long[] {d, m});
        }
        shapes.put(LN_F, new long[] {d});
        shapes.put(HEAD, new long[] {c.embeddingSize(), d});
        return shapes;
    }
}
