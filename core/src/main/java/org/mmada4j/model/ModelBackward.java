package org.mmada4j.model;

import java.util.function.Function;
import org.mmada4j.tensor.AttentionMask;
import org.mmada4j.tensor.Rope;

/**
 * The backward pass of {@link MmadaModel}: the forward's steps in reverse, each layer's backward
 * reading what a recording {@link ForwardState} kept (llm.c's {@code gpt2_backward}):
 * <pre>
 *   dX = ln_f/head backward(dLogits)
 *   per block, last first:  MLP half backward (dX += …), attention half backward (dX += …)
 *   dWte[ids] += dX
 * </pre>
 * Only for a full pass ({@code forward} over all positions, no KV cache) with the logits of every
 * row and column ({@link LogitsSpec#all()}). Parameter gradients are added to ({@code +=}).
 */
public final class ModelBackward {
    private final MmadaModel model;
    private volatile Rope rope;

    public ModelBackward(MmadaModel model) {
        this.model = model;
        this.rope = new Rope(model.config().ropeTheta(), model.config().headDim(),
                model.config().maxSequenceLength());
    }

    /**
     * @param st      the recording state of the forward just run on {@code ids} [batch, length]
     * @param mask    the mask that forward used (null = none)
     * @param dLogits [batch·length, vocab] gradient of the loss
     */
    public void backward(ForwardState st, int[] ids, int batch, int length, AttentionMask mask, float[] dLogits,
                         ModelGradients g) {
        ModelConfig c = model.config();
        if (!st.recording()) {
            throw new IllegalArgumentException("backward needs a recording forward state (newRecordingState)");
        }
        int tokens = batch * length;
        if (st.tokens != tokens || ids.length != tokens) {
            throw new IllegalArgumentException("backward over " + tokens + " tokens, but the last forward saw " + st.tokens);
        }
        if (dLogits.length < (long) tokens * c.embeddingSize()) {
            throw new IllegalArgumentException("dLogits has " + dLogits.length + " values, expected " + tokens + " x "
                    + c.embeddingSize() + " (a forward with LogitsSpec.all())");
        }
        Rope r = ropeFor(length);
        ModelWeights w = model.weights();
        int d = c.dModel();
        float[] dX = new float[tokens * d];
        LmHead.backward(model.pool(), c, w.lnF(), w.head(), st.headIn, st.headNormed, st.headRstd, tokens,
                dLogits, dX, g.lnF(), g.head());
        for (int l = c.nLayers() - 1; l >= 0; l--) {
            BlockActivations a = st.layer(l);
            SwiGluMlp.backward(model.pool(), c, w.blocks().get(l), a, dX, g.blocks().get(l));
            SelfAttention.backward(model.pool(), c, w.blocks().get(l), r, a, dX, g.blocks().get(l), batch, length, mask);
        }
        Embedding.backward(ids, tokens, dX, g.wte(), d);
    }

    /**
     * Forward and backward with activation recomputation (gradient checkpointing) for long sequences:
     * the forward keeps only each block's input ([T, d] per layer) and one shared activation record;
     * the backward recomputes each block's forward from its saved input just before that block's
     * backward. Costs one more forward of the blocks; gives the same gradients bit for bit as
     * {@link #backward} after a recording forward.
     *
     * @param gradientOf receives the logits [T, vocab] (all rows and columns), returns dLoss/dLogits
     */
    public void forwardBackwardRecomputing(int[] ids, int batch, int length, AttentionMask mask,
                                           Function<float[], float[]> gradientOf, ModelGradients g) {
        ModelConfig c = model.config();
        ModelWeights w = model.weights();
        int d = c.dModel();
        int tokens = batch * length;
        int vocab = c.embeddingSize();
        if (ids.length != tokens) {
            throw new IllegalArgumentException("ids has " + ids.length + " entries, expected " + batch + " x " + length);
        }
        Rope rope = ropeFor(length);
        BlockActivations a = new BlockActivations(d, c.mlpHiddenSize());
        a.ensure(tokens, true);
        a.tokens = tokens;
        float[] x = new float[tokens * d];
        float[][] inputs = new float[c.nLayers()][];
        // h = wte[ids]; per block: keep the input, run the block
        Embedding.forward(w.wte(), ids, batch, length, 0, length, x);
        for (int l = 0; l < c.nLayers(); l++) {
            inputs[l] = x.clone();
            SelfAttention.forward(model.pool(), c, w.blocks().get(l), rope, l, x, a, batch, length, 0, length, mask, null, null);
            SwiGluMlp.forward(model.pool(), c, w.blocks().get(l), x, a, null);
        }
        float[] selected = new float[tokens * d];
        float[] normed = new float[tokens * d];
        float[] rstd = new float[tokens];
        float[] logits = new float[tokens * vocab];
        LmHead.forward(model.pool(), c, w.lnF(), w.head(), null, x, batch, length, 0, length, 0, vocab,
                selected, normed, rstd, logits);
        float[] dLogits = gradientOf.apply(logits);
        float[] dX = new float[tokens * d];
        LmHead.backward(model.pool(), c, w.lnF(), w.head(), selected, normed, rstd, tokens, dLogits, dX, g.lnF(), g.head());
        for (int l = c.nLayers() - 1; l >= 0; l--) {
            // recompute block l from its saved input, recording what its backward reads
            System.arraycopy(inputs[l], 0, x, 0, tokens * d);
            System.arraycopy(x, 0, a.input, 0, tokens * d);
            SelfAttention.forward(model.pool(), c, w.blocks().get(l), rope, l, x, a, batch, length, 0, length, mask, null, null);
            System.arraycopy(x, 0, a.mid, 0, tokens * d);
            SwiGluMlp.forward(model.pool(), c, w.blocks().get(l), x, a, null);
            inputs[l] = null;
            SwiGluMlp.backward(model.pool(), c, w.blocks().get(l), a, dX, g.blocks().get(l));
            SelfAttention.backward(model.pool(), c, w.blocks().get(l), rope, a, dX, g.blocks().get(l), batch, length, mask);
        }
        Embedding.backward(ids, tokens, dX, g.wte(), d);
    }

    private Rope ropeFor(int positions) {
        Rope r = rope;
        if (positions > r.maxPositions()) {
            r = new Rope(model.config().ropeTheta(), model.config().headDim(), Math.max(positions, 2 * r.maxPositions()));
            rope = r;
        }
        return r;
    }
}
