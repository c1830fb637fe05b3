package org.mmada4j.text;

/**
 * The single-sequence part of a {@code tokenizer.json} {@code post_processor} (tokenizers'
 * processors/*.rs): the special tokens placed around one encoded text when a caller asks for them
 * (CLIP's {@code <|startoftext|> … <|endoftext|>}, BERT's {@code [CLS] … [SEP]}). Pairs of sequences
 * are not needed by anything here and not implemented.
 *
 * @param prefix ids placed before the text
 * @param suffix ids placed after it
 */
record PostProcessor(int[] prefix, int[] suffix) {
    /** No special tokens (absent post-processor, or ByteLevel, which only adjusts offsets). */
    static final PostProcessor NONE = new PostProcessor(new int[0], new int[0]);

    /** How many ids {@link #apply} adds: what truncation must leave room for. */
    int added() {
        return prefix.length + suffix.length;
    }

    int[] apply(int[] ids) {
        int[] out = new int[added() + ids.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(ids, 0, out, prefix.length, ids.length);
        System.arraycopy(suffix, 0, out, prefix.length + ids.length, suffix.length);
        return out;
    }
}
