package org.mmada4j.sample;

import java.util.Arrays;

/**
 * Prompts of different lengths as one batch: left-padded with the pad id (the reference tokenizer's
 * {@code padding_side='left'}, pad = EOS) and an attention mask with 0 on the padding.
 *
 * @param ids           [B][P] padded prompts
 * @param attentionMask [B][P] 1 = real token; null when no row needed padding (the reference then passes no bias)
 * @param padding       per row, the number of pad tokens on the left
 */
public record TextBatch(int[][] ids, int[][] attentionMask, int[] padding) {
    public static TextBatch leftPadded(int[][] prompts, int padId) {
        if (prompts.length == 0) {
            throw new IllegalArgumentException("empty batch: no prompts");
        }
        int max = 0;
        for (int b = 0; b < prompts.length; b++) {
            if (prompts[b].length == 0) {
                throw new IllegalArgumentException("empty prompt in row " + b);
            }
            max = Math.max(max, prompts[b].length);
        }
        int[][] ids = new int[prompts.length][max];
        int[][] mask = new int[prompts.length][max];
        int[] pad = new int[prompts.length];
        boolean any = false;
        for (int b = 0; b < prompts.length; b++) {
            pad[b] = max - prompts[b].length;
            any |= pad[b] > 0;
            Arrays.fill(ids[b], 0, pad[b], padId);
            System.arraycopy(prompts[b], 0, ids[b], pad[b], prompts[b].length);
            Arrays.fill(mask[b], pad[b], max, 1);
        }
        return new TextBatch(ids, any ? mask : null, pad);
    }
}
