package org.mmada4j.train;

import java.util.Arrays;

/**
 * The clean (un-noised) training rows of each task, as the reference's {@code UniversalPrompting}
 * builds them for training (training/prompting_utils.py; spec §3). Text arguments are token ids
 * that already start with BOS (the tokenizer prepends it). Rows of one joint batch all have length
 * {@code L = T + N + 3} (T = max_seq_length, N = image tokens).
 *
 * <p>Each builder returns the ids, the labels before noising (−100 = ignored) and, where the task
 * has one, the prompt mask (1 = never noised) or the t2i attention mask (0 = left padding).
 */
public final class TrainingSequences {
    public static final int IGNORE = -100;

    /** One clean row: ids, labels and a 0/1 mask whose meaning depends on the task. */
    public record Row(int[] ids, int[] labels, int[] mask) {
    }

    private final TrainingTokens tok;
    private final int maxTextLength; // T

    public TrainingSequences(TrainingTokens tokens, int maxTextLength) {
        if (maxTextLength < 3) {
            throw new IllegalArgumentException("max_seq_length must be at least 3, got " + maxTextLength);
        }
        this.tok = tokens;
        this.maxTextLength = maxTextLength;
    }

    public int maxTextLength() {
        return maxTextLength;
    }

    /** Row length of a joint batch with {@code imageTokens} image tokens. */
    public int rowLength(int imageTokens) {
        return maxTextLength + imageTokens + 3;
    }

    /** Index of {@code <|soi|>} in a t2i row: the t2i loss counts positions from here on. */
    public int t2iSoiIndex() {
        return maxTextLength + 1;
    }

    /**
     * t2i row {@code [iPAD]… <|t2i|> text <eos> <|soi|> image <|eoi|>}; with {@code dropCondition}
     * (classifier-free-guidance dropout) the text becomes {@code <bos>} alone. Mask = t2i_masks
     * (0 on the left padding). Image labels are −100 here; noising fills the masked ones.
     */
    public Row t2i(int[] textIds, int[] imageIds, boolean dropCondition) {
        int[] text = dropCondition ? new int[] {tok.bos()} : textIds;
        int width = maxTextLength + 1;
        int[] core = new int[text.length + 2];
        core[0] = tok.t2i();
        System.arraycopy(text, 0, core, 1, text.length);
        core[core.length - 1] = tok.eos();
        int[] prefix = new int[width];
        int[] prefixLabels = new int[width];
        int[] prefixMask = new int[width];
        if (core.length <= width) {
            int pad = width - core.length;
            Arrays.fill(prefix, 0, pad, tok.imagePad());
            Arrays.fill(prefixLabels, 0, pad, IGNORE);
            System.arraycopy(core, 0, prefix, pad, core.length);
            System.arraycopy(core, 0, prefixLabels, pad, core.length);
            Arrays.fill(prefixMask, pad, width, 1);
        } else {
            // prompting_utils.t2i_prompt: temp_ids[:max_text_len - 1] + [eos]
            System.arraycopy(core, 0, prefix, 0, width - 1);
            prefix[width - 1] = tok.eos();
            System.arraycopy(prefix, 0, prefixLabels, 0, width);
            Arrays.fill(prefixMask, 1);
        }
        int n = imageIds.length;
        int len = width + n + 2;
        int[] ids = new int[len];
        int[] labels = new int[len];
        int[] mask = new int[len];
        System.arraycopy(prefix, 0, ids, 0, width);
        System.arraycopy(prefixLabels, 0, labels, 0, width);
        System.arraycopy(prefixMask, 0, mask, 0, width);
        ids[width] = tok.soi();
        labels[width] = tok.soi();
        System.arraycopy(imageIds, 0, ids, width + 1, n);
        Arrays.fill(labels, width + 1, width + 1 + n, IGNORE);
        ids[len - 1] = tok.eoi();
        labels[len - 1] = tok.eoi();
        Arrays.fill(mask, width, len, 1);
        return new Row(ids, labels, mask);
    }

    /**
     * Pretraining text row: text + {@code <eos>}, right-padded with EOS to {@code length} (EOS padding
     * is a target), or cut to {@code length} without EOS. Labels = ids; mask all zeros (no prompt).
     */
    public Row lm(int[] textIds, int length) {
        int[] ids = new int[length];
        Arrays.fill(ids, tok.eos()); // text_ids + [eos], then EOS padding (or cut without EOS)
        System.arraycopy(textIds, 0, ids, 0, Math.min(textIds.length, length));
        return new Row(ids, ids.clone(), new int[length]);
    }

    /** Chat SFT row: as {@link #lm}, mask = prompt (1 through the last {@code <|end_header_id|>}). */
    public Row lmChat(int[] textIds, int length) {
        Row r = lm(textIds, length);
        int last = lastIndexOf(r.ids(), 0, length, tok.endHeader());
        int[] prompt = new int[length];
        Arrays.fill(prompt, 0, last + 1, 1);
        return new Row(r.ids(), r.labels(), prompt);
    }

    /**
     * MMU row {@code <|mmu|> <|soi|> image <|eoi|>} + text + {@code <eos>} right-padded with EOS to T
     * tokens (or cut to T−1 + EOS). Labels −100 on the image part; mask = prompt: the image part and
     * the text through its last {@code <|end_header_id|>} (the image part alone without one).
     */
    public Row mmu(int[] imageIds, int[] textIds) {
        int n = imageIds.length;
        int head = n + 3;
        int len = head + maxTextLength;
        int[] ids = new int[len];
        ids[0] = tok.mmu();
        ids[1] = tok.soi();
        System.arraycopy(imageIds, 0, ids, 2, n);
        ids[n + 2] = tok.eoi();
        int[] text = new int[maxTextLength];
        Arrays.fill(text, tok.eos());
        if (textIds.length + 1 <= maxTextLength) {
            System.arraycopy(textIds, 0, text, 0, textIds.length);
        } else {
            System.arraycopy(textIds, 0, text, 0, maxTextLength - 1);
        }
        System.arraycopy(text, 0, ids, head, maxTextLength);
        int[] labels = ids.clone();
        Arrays.fill(labels, 0, head, IGNORE);
        int last = lastIndexOf(ids, head, len, tok.endHeader());
        int[] prompt = new int[len];
        Arrays.fill(prompt, 0, last >= 0 ? last + 1 : head, 1);
        return new Row(ids, labels, prompt);
    }

    private static int lastIndexOf(int[] a, int from, int to, int value) {
        for (int i = to - 1; i >= from; i--) {
            if (a[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
