package org.mmada4j.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mmada4j.io.Npy;
import org.mmada4j.io.NpyArray;
import org.mmada4j.model.ForwardState;
import org.mmada4j.model.Logits;
import org.mmada4j.model.LogitsSpec;
import org.mmada4j.model.MmadaModel;
import org.mmada4j.model.ModelConfig;
import org.mmada4j.tensor.AttentionMask;
import org.mmada4j.tensor.ComputePool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmada4j debug forward}: one forward pass with the reference's semantics, .npy in and out,
 * for parity checks against PyTorch ({@code MMadaModelLM(ids, attention_bias=...)}).
 *
 * <p>Input ids int64 {@code [B, L]}. Attention mask: int64 {@code [B, L]}, 1 = real token, bias =
 * m_i AND m_j (inference semantics), or float {@code [B, L, L]} / {@code [B, 1, L, L]}, added raw to
 * the scores (the training code's float bias). Output logits float32 {@code [B, L, V]}; hidden states
 * float32 {@code [n_layers+1, B, L, d]} (block inputs, then the ln_f output).
 */
@Command(name = "forward", mixinStandardHelpOptions = true,
        description = "Forward pass over .npy token ids; writes logits (and hidden states) as .npy.")
public final class ForwardDebugCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model directory.")
    Path model;

    @Option(names = "--input", required = true, description = "int64 [B, L] token ids (.npy).")
    Path input;

    @Option(names = "--attention-mask", description = "int64 [B, L] padding mask, or float [B, (1,) L, L] additive bias.")
    Path attentionMask;

    @Option(names = "--output", required = true, description = "float32 [B, L, V] logits (.npy).")
    Path output;

    @Option(names = "--hidden-states", description = "float32 [n_layers+1, B, L, d] hidden states (.npy).")
    Path hiddenStates;

    @Override
    public Integer call() throws Exception {
        NpyArray ids = Npy.read(input);
        if (ids.rank() != 2 || ids.isFloat()) {
            throw new IllegalArgumentException(input + ": token ids must be an integer array [B, L]");
        }
        int batch = ids.dim(0);
        int length = ids.dim(1);
        try (MmadaModel m = MmadaModel.load(model, ComputePool.shared())) {
            ModelConfig c = m.config();
            AttentionMask mask = attentionMask == null ? AttentionMask.none() : readMask(batch, length);
            ForwardState st = m.newState().captureHiddenStates(hiddenStates != null);
            Logits logits = m.forward(st, ids.toInts(), batch, length, mask, LogitsSpec.all());
            Npy.write(output, NpyArray.ofFloats(logits.toArray(), batch, length, c.embeddingSize()));
            if (hiddenStates != null) {
                int n = (c.nLayers() + 1) * batch * length * c.dModel();
                float[] hs = new float[n];
                System.arraycopy(st.hiddenStates(), 0, hs, 0, n);
                Npy.write(hiddenStates, NpyArray.ofFloats(hs, c.nLayers() + 1, batch, length, c.dModel()));
            }
        }
        return 0;
    }

    private AttentionMask readMask(int batch, int length) throws Exception {
        NpyArray a = Npy.read(attentionMask);
        if (!a.isFloat()) {
            if (a.rank() != 2 || a.dim(0) != batch || a.dim(1) != length) {
                throw new IllegalArgumentException(attentionMask + ": integer attention mask must be [" + batch + ", "
                        + length + "] like the input ids");
            }
            int[] m = a.toInts();
            for (int v : m) {
                if (v != 0 && v != 1) {
                    throw new IllegalArgumentException(attentionMask + ": attention mask values must be 0 or 1, got " + v);
                }
            }
            return AttentionMask.padding(m, batch, length);
        }
        boolean ok = (a.rank() == 3 && a.dim(0) == batch && a.dim(1) == length && a.dim(2) == length)
                || (a.rank() == 4 && a.dim(0) == batch && a.dim(1) == 1 && a.dim(2) == length && a.dim(3) == length);
        if (!ok) {
            throw new IllegalArgumentException(attentionMask + ": float attention bias must be [" + batch + ", (1,) "
                    + length + ", " + length + "]");
        }
        return AttentionMask.additive(a.floats(), batch, length);
    }
}
