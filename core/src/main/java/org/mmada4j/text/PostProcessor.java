package org.mmada4j.text;

/**
 * The single-sequence part of a {@code tokenizer.json} {@code post_processor} (tokenizers'
 * processors/*.rs): the special tokens placed around one encoded text when a caller asks for them
 * (CLIP's {@code <|startoftext|> … <|endoftext|>}, BERT's {@code [CLS] … [SEP]}). Pairs of sequences
 * are not needed by anything here and not implemented.
 *
 * <p>A post-processor of a type not implemented here does not stop the tokenizer from loading (plain
 * {@code encode} never uses it); asking it for special tokens fails with {@code unsupported}.
 *
 * @param prefix      ids placed before the text
 * @param suffix      ids placed after it
 * @param unsupported why special tokens cannot be added, or null
 */
record PostProcessor(int[] prefix, int[] suffix, String unsupported) {
    /** No special tokens (absent post-processor, or ByteLevel, which only adjusts offsets). */
    static final PostProcessor NONE = new PostProcessor(new int[0], new int[0], null);

    PostProcessor(int[] prefix, int[] suffix) {
        this(prefix, suffix, null);
    }

    static PostProcessor unsupported(String why) {
        return new PostProcessor(new int[0], new int[0], why);
    }

    /** How many ids {@link #apply} adds: what truncation must leave room for. */
    int added() {
        check();
        return prefix.length + suffix.length;
    }

    private void check() {
        if (unsupported != null) {
            throw new IllegalArgumentException(unsupported);
        }
    }

    int[] apply(int[] ids) {
        check();
        int[] out = new int[added() + ids.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(ids, 0, out, prefix.length, ids.length);
        System.arraycopy(suffix, 0, out, prefix.length + ids.length, suffix.length);
        return out;
    }
}
