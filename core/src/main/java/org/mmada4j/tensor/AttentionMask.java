package org.mmada4j.tensor;

/**
 * What a bidirectional attention may look at, with the reference's semantics (modeling_llada.py):
 * <ul>
 *   <li>{@link #none()}: every query attends to every key (the normal case for text and MMU);</li>
 *   <li>{@link #padding(int[], int, int)}: a 0/1 mask m of shape [B, L]; the boolean bias is
 *       {@code m_i AND m_j}; disallowed pairs get {@code finfo(float32).min} added, so a padded query
 *       row ends up uniform over all keys (as the reference);</li>
 *   <li>{@link #additive(float[], int, int)}: a float bias [B, L, L] added raw to the scaled scores
 *       (the training code passes a float tensor of ones, which the reference adds).</li>
 * </ul>
 */
public record AttentionMask(Kind kind, int batch, int length, int[] padding, float[] bias) {
    public enum Kind { NONE, PADDING, ADDITIVE }

    /** {@code torch.finfo(torch.float32).min}, added to disallowed scores. */
    public static final float MASKED_SCORE = -Float.MAX_VALUE;

    public static AttentionMask none() {
        return new AttentionMask(Kind.NONE, 0, 0, null, null);
    }

    public static AttentionMask padding(int[] mask, int batch, int length) {
        if (mask.length != batch * length) {
            throw new IllegalArgumentException("padding mask has " + mask.length + " entries, expected " + batch + "x" + length);
        }
        return new AttentionMask(Kind.PADDING, batch, length, mask, null);
    }

    public static AttentionMask additive(float[] bias, int batch, int length) {
        if (bias.length != batch * length * length) {
            throw new IllegalArgumentException("attention bias has " + bias.length + " entries, expected " + batch + "x" + length + "x" + length);
        }
        return new AttentionMask(Kind.ADDITIVE, batch, length, null, bias);
    }

    /** The bias added to score (query i, key j) of sequence b. */
    public float biasAt(int b, int i, int j) {
        return switch (kind) {
            case NONE -> 0f;
            case PADDING -> (padding[b * length + i] != 0 && padding[b * length + j] != 0) ? 0f : MASKED_SCORE;
            case ADDITIVE -> bias[(b * length + i) * length + j];
        };
    }
}
