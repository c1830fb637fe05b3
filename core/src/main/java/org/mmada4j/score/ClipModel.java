package org.mmada4j.score;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.mmada4j.io.Checkpoint;
import org.mmada4j.tensor.ComputePool;

/**
 * Hugging Face's {@code CLIPModel}, loaded from a model directory ({@code config.json} and
 * {@code model.safetensors}, or a sharded index; tensors under HF's names, F32/BF16/F16): a vision
 * and a text transformer projected into one space. {@link #logits} is
 * {@code exp(logit_scale) · cos(image, text)}, HF's {@code logits_per_image} — and also PickScore's
 * (and HPS-v2's) score, CLIP-architecture models fine-tuned on human preferences; so one
 * class serves as the alignment scorer (openai/clip-vit-*) and the preference scorer
 * (yuvalkirstain/PickScore_v1). See {@link ClipScorer}.
 *
 * <p>Matrices stay in the memory-mapped file (the GEMM widens them while packing); vectors are
 * copied to the heap (or, with {@code packWeights}, every linear weight too). Instances keep the
 * file mapped until {@link #close()}. Each pass allocates its own activations, so the model holds no
 * mutable state; call it from one thread at a time and let the pool given at load parallelise.
 */
public final class ClipModel implements AutoCloseable {
    private final ClipConfig config;
    private final Checkpoint checkpoint;
    private final ClipVision vision;
    private final ClipText text;
    private final float logitScale;
    private final ComputePool pool;

    private ClipModel(ClipConfig config, Checkpoint checkpoint, ClipVision vision, ClipText text, float logitScale,
                      ComputePool pool) {
        this.config = config;
        this.checkpoint = checkpoint;
        this.vision = vision;
        this.text = text;
        this.logitScale = logitScale;
        this.pool = pool;
    }

    /** {@link #load(Path, ComputePool, boolean)} with the matrices left in the mapped file (least memory). */
    public static ClipModel load(Path dir, ComputePool pool) throws IOException {
        return load(dir, pool, false);
    }

    /**
     * Loads a CLIPModel directory; missing or mis-shaped tensors fail naming the tensor and the file.
     *
     * @param packWeights copy every linear layer's weight to the heap in the GEMM's fp32 panel layout
     *                    (ViT-B/32: +0.5 GB, ViT-L/14: +1.6 GB): faster for a scorer called again and
     *                    again, as a reward is
     */
    public static ClipModel load(Path dir, ComputePool pool, boolean packWeights) throws IOException {
        ClipConfig config = ClipConfig.load(dir);
        Checkpoint ckpt = Checkpoint.open(dir);
        try {
            ClipWeights w = new ClipWeights(ckpt, packWeights ? pool : null);
            ClipVision vision = ClipVision.load(w, config.vision(), config.projectionDim());
            ClipText text = ClipText.load(w, config.text(), config.projectionDim());
            return new ClipModel(config, ckpt, vision, text, w.scalar("logit_scale"), pool);
        } catch (IOException | RuntimeException e) {
            ckpt.close();
            throw e;
        }
    }

    public ClipConfig config() {
        return config;
    }

    /** The learned temperature as stored (a log); scores use its exp. */
    public float logitScale() {
        return logitScale;
    }

    /**
     * L2-normalised image embeddings {@code [batch, projection_dim]}.
     *
     * @param pixels planar {@code [batch, 3, image_size, image_size]}, as {@link ClipImageProcessor} makes
     */
    public float[] imageEmbeddings(float[] pixels, int batch) {
        return normalised(vision.embed(pool, pixels, batch), batch);
    }

    /**
     * L2-normalised text embeddings {@code [batch, projection_dim]}.
     *
     * @param ids per text, with its start and end tokens and no padding (as {@link ClipTextProcessor} makes)
     */
    public float[] textEmbeddings(List<int[]> ids) {
        return normalised(text.embed(pool, ids), ids.size());
    }

    /** {@code logits[i][j] = exp(logit_scale) · image_i · text_j} for normalised embeddings. */
    public float[][] logits(float[] imageEmbeds, int images, float[] textEmbeds, int texts) {
        int p = config.projectionDim();
        float scale = (float) Math.exp(logitScale);
        float[][] out = new float[images][texts];
        for (int i = 0; i < images; i++) {
            for (int j = 0; j < texts; j++) {
                out[i][j] = scale * dot(imageEmbeds, i * p, textEmbeds, j * p, p);
            }
        }
        return out;
    }

    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    private float[] normalised(float[] x, int rows) {
        int p = config.projectionDim();
        for (int r = 0; r < rows; r++) {
            double ss = 0;
            for (int i = 0; i < p; i++) {
                ss += (double) x[r * p + i] * x[r * p + i];
            }
            float norm = (float) Math.sqrt(ss);
            for (int i = 0; i < p; i++) {
                x[r * p + i] /= norm;
            }
        }
        return x;
    }

    @Override
    public void close() {
        checkpoint.close();
    }
}
