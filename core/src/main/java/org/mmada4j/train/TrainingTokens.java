package org.mmada4j.train;

/**
 * The special ids the training layouts and losses need (spec §2). {@link #mmada8b()} holds the real
 * model's values; tiny and other checkpoints pass their own (read from their token map).
 *
 * @param imageOffset id of image code 0 ({@code len(text tokenizer)}, not {@code llm_vocab_size})
 */
public record TrainingTokens(int bos, int eos, int mask, int soi, int eoi, int t2i, int mmu, int r2i,
                             int imagePad, int endHeader, int imageOffset, int codebookSize) {

    public static TrainingTokens mmada8b() {
        return new TrainingTokens(126080, 126081, 126336, 126084, 126085, 126088, 126089, 126094,
                126093, 126347, 126349, 8192);
    }

    /** The ids of a model's special-token map. */
    public static TrainingTokens of(org.mmada4j.prompt.SpecialTokens t) {
        return new TrainingTokens(t.bos(), t.eos(), t.mask(), t.soi(), t.eoi(), t.t2i(), t.mmu(), t.r2i(), t.iPad(),
                t.endHeader(), t.imageOffset(), t.codebookSize());
    }

    /** Token id of image code {@code code}. */
    public int imageId(int code) {
        if (code < 0 || code >= codebookSize) {
            throw new IllegalArgumentException("image code " + code + " outside [0, " + codebookSize + ")");
        }
        return imageOffset + code;
    }
}
