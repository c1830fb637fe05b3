package org.mmada4j.model;

/**
 * Which logits a forward pass returns: positions {@code [rowFrom, rowTo)} of every sequence (absolute
 * positions, inside the computed window) and vocabulary columns {@code [vocabFrom, vocabTo)}.
 * Negative bounds mean "the whole window" / "the whole table". The image samplers ask for the image
 * positions and the 8192 image-token columns only; the head GEMM then reads just those weight rows.
 */
public record LogitsSpec(int rowFrom, int rowTo, int vocabFrom, int vocabTo) {
    private static final LogitsSpec ALL = new LogitsSpec(-1, -1, -1, -1);

    /** Every position of the window, every column. */
    public static LogitsSpec all() {
        return ALL;
    }

    /** Positions [from, to) of each sequence, every column. */
    public static LogitsSpec rows(int from, int to) {
        return new LogitsSpec(from, to, -1, -1);
    }

    /** The same rows, columns [from, to) of the vocabulary. */
    public LogitsSpec vocab(int from, int to) {
        return new LogitsSpec(rowFrom, rowTo, from, to);
    }

    /** No logits at all (e.g. a pass that only fills a cache or captures hidden states). */
    public static LogitsSpec none() {
        return new LogitsSpec(0, 0, -1, -1);
    }
}
