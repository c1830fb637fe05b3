package org.mmada4j.train;

import org.mmada4j.prompt.Prompting;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.prompt.TaskSequence;

/**
 * The clean (un-noised) training rows of each task, as the reference's {@code UniversalPrompting}
 * builds them for training (training/prompting_utils.py; spec §3), through the shared layouts of
 * {@link Prompting}, reduced to what noising and the loss need. Rows of one joint batch all have
 * length {@code L = T + N + 3} (T = max_seq_length, N = image tokens).
 *
 * <p>Each builder returns the ids, the labels before noising (−100 = ignored) and a 0/1 mask whose
 * meaning depends on the task: the t2i attention mask (0 = left padding), or the prompt mask
 * (1 = never noised) of chat and mmu rows, all zeros for pretraining text.
 */
public final class TrainingSequences {
    public static final int IGNORE = Prompting.IGNORE;

    /** One clean row: ids, labels and a 0/1 mask whose meaning depends on the task. */
    public record Row(int[] ids, int[] labels, int[] mask) {
    }

    private final Prompting prompting;
    private final int maxTextLength; // T

    public TrainingSequences(SpecialTokens tokens, int maxTextLength) {
        if (maxTextLength < 3) {
            throw new IllegalArgumentException("max_seq_length must be at least 3, got " + maxTextLength);
        }
        this.prompting = new Prompting(tokens);
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
     * (classifier-free-guidance dropout) the text becomes {@code <bos>} alone. Mask = t2i_masks.
     * Image labels are −100 here; noising fills the masked ones.
     */
    public Row t2i(int[] textIds, int[] imageIds, boolean dropCondition) {
        TaskSequence s = prompting.t2i(textIds, imageIds, null, maxTextLength, dropCondition);
        return new Row(s.ids(), s.labels(), s.attentionMask());
    }

    /** Pretraining text row: BOS text EOS, EOS-padded to {@code length} (cut without EOS); labels = ids; mask zeros. */
    public Row lm(int[] textIds, int length) {
        TaskSequence s = prompting.lm(textIds, length);
        return new Row(s.ids(), s.labels(), new int[length]);
    }

    /** Chat SFT row: as {@link #lm}, mask = prompt (1 through the last {@code <|end_header_id|>}). */
    public Row lmChat(int[] textIds, int length) {
        TaskSequence s = prompting.lmChat(textIds, length);
        return new Row(s.ids(), s.labels(), s.promptMask());
    }

    /**
     * MMU row {@code <|mmu|> <|soi|> image <|eoi|>} + text + {@code <eos>} right-padded with EOS to T
     * tokens; labels −100 on the image part; mask = prompt (image part + text through the last
     * {@code <|end_header_id|>}).
     */
    public Row mmu(int[] imageIds, int[] textIds) {
        TaskSequence s = prompting.mmu(imageIds, textIds, maxTextLength);
        return new Row(s.ids(), s.labels(), s.promptMask());
    }

    /**
     * Reasoning-to-image row {@code <|r2i|>} + text ({@code <bos>} … {@code <eos>}, EOS-padded to T) +
     * {@code <|soi|>} image {@code <|eoi|>}; labels = ids after the prompt (the reasoning, its EOS padding
     * and the image tokens), −100 on it; mask = prompt (task token, text through the last
     * {@code <|end_header_id|>}, soi, eoi).
     */
    public Row r2i(int[] textIds, int[] imageIds) {
        TaskSequence s = prompting.r2i(textIds, imageIds, null, maxTextLength);
        return new Row(s.ids(), s.labels(), s.promptMask());
    }
}
