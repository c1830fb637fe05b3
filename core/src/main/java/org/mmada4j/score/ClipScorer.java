package org.mmada4j.score;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.vq.RgbImage;

/**
 * A CLIP-architecture model as an {@link ImageTextScorer}: score = {@code exp(logit_scale) ·
 * cos(image, text)} per pair, HF's {@code logits_per_image} diagonal. Two uses, one class:
 * <ul>
 *   <li>{@link Use#ALIGNMENT} ({@code clip}): an OpenAI/LAION CLIP, e.g. openai/clip-vit-large-patch14
 *       — how well the image shows the text (UniGRPO's CLIP reward for text-to-image and captions);</li>
 *   <li>{@link Use#PREFERENCE} ({@code pickscore}): a CLIP fine-tuned on human preferences,
 *       yuvalkirstain/PickScore_v1 (HPS-v2 has the same architecture but ships as an open_clip {@code .pt}, which would need renaming to HF's tensor names first) — how much people would prefer the image for the text.
 *       The raw score is returned; PickScore's softmax over candidate images is left to the caller.</li>
 * </ul>
 * Pairs are scored in batches of {@link #BATCH}. Not thread-safe (one thread at a time, as the
 * interface says).
 */
public final class ClipScorer implements ImageTextScorer, AutoCloseable {
    static final int BATCH = 16;

    /** What the model was trained for; gives the scorer its name. */
    public enum Use {
        ALIGNMENT("clip"), PREFERENCE("pickscore");

        private final String scorerName;

        Use(String scorerName) {
            this.scorerName = scorerName;
        }
    }

    private final ClipModel model;
    private final ClipImageProcessor images;
    private final ClipTextProcessor texts;
    private final Use use;

    public ClipScorer(ClipModel model, ClipImageProcessor images, ClipTextProcessor texts, Use use) {
        this.model = model;
        this.images = images;
        this.texts = texts;
        this.use = use;
    }

    /**
     * Loads the model from {@code modelDir} and the processors ({@code preprocessor_config.json},
     * {@code tokenizer.json}) from {@code processorDir} (the same directory for openai/clip-*).
     *
     * @param packWeights see {@link ClipModel#load(Path, ComputePool, boolean)}: worth its memory for a
     *                    reward scored every step, not for a one-off
     */
    public static ClipScorer load(Path modelDir, Path processorDir, Use use, ComputePool pool, boolean packWeights)
            throws IOException {
        ClipModel model = ClipModel.load(modelDir, pool, packWeights);
        try {
            ClipConfig c = model.config();
            return new ClipScorer(model, ClipImageProcessor.load(processorDir, c.vision().imageSize()),
                    ClipTextProcessor.load(processorDir, c.text().maxPositions()), use);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public ClipModel model() {
        return model;
    }

    @Override
    public double[] score(List<RgbImage> imageList, List<String> textList) {
        if (imageList.size() != textList.size()) {
            throw new IllegalArgumentException(imageList.size() + " images but " + textList.size() + " texts");
        }
        int n = imageList.size();
        int p = model.config().projectionDim();
        double scale = Math.exp(model.logitScale());
        double[] out = new double[n];
        for (int b0 = 0; b0 < n; b0 += BATCH) {
            int b1 = Math.min(n, b0 + BATCH);
            float[] img = model.imageEmbeddings(images.pixelValues(imageList.subList(b0, b1)), b1 - b0);
            // a reward scores G images of one prompt: embed each distinct text once
            List<String> distinct = List.copyOf(new LinkedHashSet<>(textList.subList(b0, b1)));
            float[] txt = model.textEmbeddings(texts.encode(distinct));
            for (int i = 0; i < b1 - b0; i++) {
                int t = distinct.indexOf(textList.get(b0 + i));
                out[b0 + i] = scale * ClipModel.dot(img, i * p, txt, t * p, p);
            }
        }
        return out;
    }

    @Override
    public String name() {
        return use.scorerName;
    }

    @Override
    public void close() {
        model.close();
    }
}
