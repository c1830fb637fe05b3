package org.mmada4j.score;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mmada4j.io.CheckpointException;
import org.mmada4j.tensor.AttentionMask;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.Tensor;
import org.mmada4j.tensor.VectorOps;

/**
 * {@code CLIPTextTransformer} plus {@code text_projection}: token and learned position embeddings,
 * the encoder under a causal mask, {@code final_layer_norm}, the hidden state at the EOS token
 * ({@link ClipConfig.Tower#legacyEosPooling()}), then the projection (no bias).
 *
 * <p>Sequences of a batch are padded to the longest one. HF also applies the padding attention
 * mask, but under the causal mask no position up to the EOS can see a later pad, so the pooled
 * state is the same without it; the pad id is irrelevant for the same reason.
 */
final class ClipText {
    private final ClipConfig.Tower cfg;
    private final Tensor tokenEmbedding;
    private final float[] positions; // [maxPositions, hidden]
    private final List<ClipEncoderLayer> layers;
    private final ClipLayerNorm finalNorm;
    private final ClipLinear projection;

    private ClipText(ClipConfig.Tower cfg, Tensor tokenEmbedding, float[] positions, List<ClipEncoderLayer> layers,
                     ClipLayerNorm finalNorm, ClipLinear projection) {
        this.cfg = cfg;
        this.tokenEmbedding = tokenEmbedding;
        this.positions = positions;
        this.layers = layers;
        this.finalNorm = finalNorm;
        this.projection = projection;
    }

    static ClipText load(ClipWeights w, ClipConfig.Tower c, int projectionDim) throws CheckpointException {
        int d = c.hidden();
        List<ClipEncoderLayer> layers = new ArrayList<>();
        for (int i = 0; i < c.layers(); i++) {
            layers.add(ClipEncoderLayer.load(w, "text_model.encoder.layers." + i, c));
        }
        return new ClipText(c, w.tensor("text_model.embeddings.token_embedding.weight", c.vocabSize(), d),
                w.tensor("text_model.embeddings.position_embedding.weight", c.maxPositions(), d).toFloatArray(),
                List.copyOf(layers), w.layerNorm("text_model.final_layer_norm", d, c.layerNormEps()),
                w.linear("text_projection", projectionDim, d, false));
    }

    /** Index of the pooled token in {@code ids}, by HF's rule (0 when the EOS is absent, as HF's argmax). */
    int poolIndex(int[] ids) {
        int best = 0;
        for (int i = 0; i < ids.length; i++) {
            if (cfg.legacyEosPooling() ? ids[i] > ids[best] : ids[i] == cfg.eosTokenId()) {
                best = i;
                if (!cfg.legacyEosPooling()) {
                    break;
                }
            }
        }
        return best;
    }

    /**
     * @param sequences token ids of each text, special tokens included, no padding, at most
     *                  {@code max_position_embeddings} long
     * @return {@code [batch, projection_dim]} text embeddings (not yet L2-normalised)
     */
    float[] embed(ComputePool pool, List<int[]> sequences) {
        int batch = sequences.size();
        int length = 1;
        for (int[] s : sequences) {
            if (s.length == 0 || s.length > cfg.maxPositions()) {
                throw new IllegalArgumentException("a CLIP text has " + s.length + " tokens; this model takes 1 to "
                        + cfg.maxPositions() + " (max_position_embeddings)");
            }
            length = Math.max(length, s.length);
        }
        int d = cfg.hidden();
        float[] x = new float[batch * length * d];
        int[] pool0 = new int[batch];
        for (int b = 0; b < batch; b++) {
            int[] ids = Arrays.copyOf(sequences.get(b), length); // pads: id 0, never seen (causal)
            VectorOps.gatherRows(tokenEmbedding, ids, x, b * length * d);
            for (int t = 0; t < length; t++) {
                VectorOps.addInPlace(x, (b * length + t) * d, positions, t * d, d);
            }
            pool0[b] = poolIndex(sequences.get(b));
        }
        float[] bias = new float[batch * length * length];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < length; i++) {
                for (int j = i + 1; j < length; j++) {
                    bias[(b * length + i) * length + j] = AttentionMask.MASKED_SCORE;
                }
            }
        }
        AttentionMask causal = AttentionMask.additive(bias, batch, length);
        ClipEncoderLayer.Scratch scratch = new ClipEncoderLayer.Scratch();
        for (ClipEncoderLayer layer : layers) {
            layer.forward(pool, x, batch, length, causal, scratch);
        }
        float[] pooled = new float[batch * d];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(x, (b * length + pool0[b]) * d, pooled, b * d, d);
        }
        // LayerNorm is per row, so normalising only the pooled rows equals HF's norm-then-gather.
        finalNorm.forward(pool, pooled, pooled, batch);
        float[] out = new float[batch * projection.out()];
        projection.forward(pool, pooled, batch, out, false);
        return out;
    }
}
