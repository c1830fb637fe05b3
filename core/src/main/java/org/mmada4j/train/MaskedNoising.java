package org.mmada4j.train;

/**
 * The forward (noising) process of masked-diffusion training, drawing from a {@link RandomSource}
 * in the reference's order (spec §6.1; training/utils.py {@code mask_or_random_replace_tokens},
 * training/train_mmada.py {@code prepare_inputs_and_labels*}). All arithmetic is fp32 as torch's.
 */
public final class MaskedNoising {
    private final int maskId;
    private final float eps;
    private final float minMaskingRate;

    /** Noised text rows: ids with masks, and p (the per-row mask probability the loss divides by). */
    public record TextNoise(int[][] ids, float[] p) {
    }

    /** Noised image tokens: the masked ids, the labels (id where masked, else −100) and the counts. */
    public record ImageNoise(int[][] ids, int[][] labels, boolean[][] masked, float[] t, float[] maskRatio,
                             int[] maskedCount) {
    }

    /**
     * @param eps            lower bound of the text mask probability (1e-3 in the reference)
     * @param minMaskingRate lower clip of the image mask ratio (0 in the reference configs)
     */
    public MaskedNoising(int maskId, float eps, float minMaskingRate) {
        this.maskId = maskId;
        this.eps = eps;
        this.minMaskingRate = minMaskingRate;
    }

    /** Cosine schedule {@code cos(t·π·0.5)}, clipped below at min_masking_rate, in fp32 as torch. */
    public float cosineMaskRatio(float t) {
        float r = (float) Math.cos((float) (t * (float) Math.PI) * 0.5f);
        return Math.max(r, minMaskingRate);
    }

    /** {@code (n·ratio).round().clamp(min=1)}: round half to even, as torch.round. */
    public static int maskedCount(int n, float ratio) {
        return (int) Math.max(1f, (float) Math.rint(n * ratio));
    }

    /**
     * Positions of one image to mask: {@code argsort(rand)[j] < count} read per position, exactly as
     * the reference does (a uniformly random subset of {@code count} positions, but not the
     * {@code count} smallest draws).
     */
    public static boolean[] maskPositions(float[] rand, int count) {
        int n = rand.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(rand[a], rand[b]));
        boolean[] masked = new boolean[n];
        for (int j = 0; j < n; j++) {
            masked[j] = order[j] < count;
        }
        return masked;
    }

    /**
     * Masks a batch of images given as token ids [B, N]: draws t [B], then scores [B, N] (the
     * reference's two torch.rand calls). Masked ids become MASK; labels keep the id there.
     */
    public ImageNoise noiseImages(int[][] imageIds, RandomSource rng) {
        int b = imageIds.length;
        float[] t = rng.next(b);
        int[][] ids = new int[b][];
        int[][] labels = new int[b][];
        boolean[][] maskedAll = new boolean[b][];
        float[] ratio = new float[b];
        int[] counts = new int[b];
        float[][] scores = new float[b][];
        for (int r = 0; r < b; r++) {
            scores[r] = rng.next(imageIds[r].length);
        }
        for (int r = 0; r < b; r++) {
            int n = imageIds[r].length;
            ratio[r] = cosineMaskRatio(t[r]);
            counts[r] = maskedCount(n, ratio[r]);
            boolean[] masked = maskPositions(scores[r], counts[r]);
            ids[r] = imageIds[r].clone();
            labels[r] = new int[n];
            for (int j = 0; j < n; j++) {
                labels[r][j] = masked[j] ? imageIds[r][j] : TrainingSequences.IGNORE;
                if (masked[j]) {
                    ids[r][j] = maskId;
                }
            }
            maskedAll[r] = masked;
        }
        return new ImageNoise(ids, labels, maskedAll, t, ratio, counts);
    }

    /** Classifier-free-guidance dropout: one draw per row, the condition is dropped when below prob. */
    public static boolean[] conditionDropout(int batch, float prob, RandomSource rng) {
        float[] u = rng.next(batch);
        boolean[] drop = new boolean[batch];
        for (int i = 0; i < batch; i++) {
            drop[i] = u[i] < prob;
        }
        return drop;
    }

    /** {@code p = (1 − eps)·t + eps} in fp32. */
    public float textMaskProbability(float t) {
        return (1f - eps) * t + eps;
    }

    /**
     * Masks text rows [B, L]: draws t [B], then uniforms [B, L]; position j masked iff u < p. Where
     * {@code prompt} is given (chat SFT, MMU) its 1-positions are restored afterwards, as the reference
     * does ({@code noisy[prompt_mask] = input_ids[prompt_mask]}).
     */
    public TextNoise noiseText(int[][] clean, int[][] prompt, RandomSource rng) {
        int b = clean.length;
        float[] t = rng.next(b);
        float[] p = new float[b];
        int[][] ids = new int[b][];
        for (int r = 0; r < b; r++) {
            p[r] = textMaskProbability(t[r]);
        }
        for (int r = 0; r < b; r++) {
            int l = clean[r].length;
            float[] u = rng.next(l);
            ids[r] = clean[r].clone();
            for (int j = 0; j < l; j++) {
                boolean isPrompt = prompt != null && prompt[r][j] != 0;
                if (u[j] < p[r] && !isPrompt) {
                    ids[r][j] = maskId;
                }
            }
        }
        return new TextNoise(ids, p);
    }
}
