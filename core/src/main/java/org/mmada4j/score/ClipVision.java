package org.mmada4j.score;

import java.util.ArrayList;
import java.util.List;
import org.mmada4j.io.CheckpointException;
import org.mmada4j.tensor.AttentionMask;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.Gemm;
import org.mmada4j.tensor.Tensor;

/**
 * {@code CLIPVisionTransformer} plus {@code visual_projection}: patch embedding (a stride-p conv with
 * no bias, done as one GEMM over unfolded patches), class token, learned positions,
 * {@code pre_layrnorm} (sic, HF's name), the encoder, {@code post_layernorm} on the class token, then
 * the projection (no bias). Output: unnormalised image embeddings {@code [batch, projection_dim]}.
 */
final class ClipVision {
    private final ClipConfig.Tower cfg;
    private final Tensor patchWeight; // [hidden, channels·p·p]
    private final float[] classEmbedding;
    private final float[] positions; // [patches + 1, hidden]
    private final ClipLayerNorm preNorm;
    private final List<ClipEncoderLayer> layers;
    private final ClipLayerNorm postNorm;
    private final ClipLinear projection;

    private ClipVision(ClipConfig.Tower cfg, Tensor patchWeight, float[] classEmbedding, float[] positions,
                       ClipLayerNorm preNorm, List<ClipEncoderLayer> layers, ClipLayerNorm postNorm, ClipLinear projection) {
        this.cfg = cfg;
        this.patchWeight = patchWeight;
        this.classEmbedding = classEmbedding;
        this.positions = positions;
        this.preNorm = preNorm;
        this.layers = layers;
        this.postNorm = postNorm;
        this.projection = projection;
    }

    static ClipVision load(ClipWeights w, ClipConfig.Tower c, int projectionDim) throws CheckpointException {
        int d = c.hidden();
        int p = c.patchSize();
        int tokens = c.gridSize() * c.gridSize() + 1;
        Tensor patch = w.tensor("vision_model.embeddings.patch_embedding.weight", d, c.channels(), p, p)
                .reshape(d, (long) c.channels() * p * p);
        List<ClipEncoderLayer> layers = new ArrayList<>();
        for (int i = 0; i < c.layers(); i++) {
            layers.add(ClipEncoderLayer.load(w, "vision_model.encoder.layers." + i, c));
        }
        return new ClipVision(c, patch, w.vector("vision_model.embeddings.class_embedding", d),
                w.tensor("vision_model.embeddings.position_embedding.weight", tokens, d).toFloatArray(),
                w.layerNorm("vision_model.pre_layrnorm", d, c.layerNormEps()), List.copyOf(layers),
                w.layerNorm("vision_model.post_layernorm", d, c.layerNormEps()),
                w.linear("visual_projection", projectionDim, d, false));
    }

    /**
     * @param pixels planar {@code [batch, channels, imageSize, imageSize]}, already normalised
     * @return {@code [batch, projection_dim]} image embeddings (not yet L2-normalised)
     */
    float[] embed(ComputePool pool, float[] pixels, int batch) {
        int size = cfg.imageSize();
        int ch = cfg.channels();
        if (pixels.length != batch * ch * size * size) {
            throw new IllegalArgumentException("pixel_values of " + pixels.length + " floats is not [" + batch + ", "
                    + ch + ", " + size + ", " + size + "] (this CLIP takes " + size + "px images)");
        }
        int d = cfg.hidden();
        int p = cfg.patchSize();
        int grid = cfg.gridSize();
        int patches = grid * grid;
        int tokens = patches + 1;
        int kdim = ch * p * p;
        // Unfold: row (b, gy, gx) holds the patch in (c, ky, kx) order, the conv weight's order.
        float[] unfolded = new float[batch * patches * kdim];
        pool.parallelFor(batch * patches, t -> {
            int b = t / patches;
            int gy = (t % patches) / grid;
            int gx = t % grid;
            int o = t * kdim;
            for (int c = 0; c < ch; c++) {
                for (int ky = 0; ky < p; ky++) {
                    System.arraycopy(pixels, ((b * ch + c) * size + gy * p + ky) * size + gx * p, unfolded, o, p);
                    o += p;
                }
            }
        });
        float[] emb = new float[batch * patches * d];
        Gemm.matmulNT(pool, unfolded, 0, kdim, patchWeight, 0, emb, 0, d, batch * patches, d, kdim, false);
        float[] x = new float[batch * tokens * d];
        for (int b = 0; b < batch; b++) {
            int base = b * tokens * d;
            for (int i = 0; i < d; i++) {
                x[base + i] = classEmbedding[i] + positions[i];
            }
            for (int t = 1; t < tokens; t++) {
                int src = (b * patches + t - 1) * d;
                for (int i = 0; i < d; i++) {
                    x[base + t * d + i] = emb[src + i] + positions[t * d + i];
                }
            }
        }
        preNorm.forward(pool, x, x, batch * tokens);
        ClipEncoderLayer.Scratch scratch = new ClipEncoderLayer.Scratch();
        for (ClipEncoderLayer layer : layers) {
            layer.forward(pool, x, batch, tokens, AttentionMask.none(), scratch);
        }
        float[] cls = new float[batch * d];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(x, b * tokens * d, cls, b * d, d);
        }
        postNorm.forward(pool, cls, cls, batch);
        float[] out = new float[batch * projection.out()];
        projection.forward(pool, cls, batch, out, false);
        return out;
    }
}
