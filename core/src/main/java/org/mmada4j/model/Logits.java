package org.mmada4j.model;

/**
 * Logits of a forward pass, {@code [batch, rows, cols]} row-major in {@code data}: row r of sequence
 * b is position {@code rowFrom + r}, column c is token {@code vocabFrom + c}.
 *
 * <p>{@code data} belongs to the {@link ForwardState} and is overwritten by its next forward; take
 * {@link #copy()} to keep it. {@code data} may be longer than {@code batch·rows·cols}.
 */
public record Logits(float[] data, int batch, int rowFrom, int rows, int vocabFrom, int cols) {

    /** Logit of token {@code token} at absolute position {@code position} of sequence {@code b}. */
    public float get(int b, int position, int token) {
        return data[offset(b, position) + token - vocabFrom];
    }

    /** Start in {@link #data()} of the row of (sequence b, absolute position). */
    public int offset(int b, int position) {
        if (position < rowFrom || position >= rowFrom + rows) {
            throw new IndexOutOfBoundsException("position " + position + " outside the returned rows ["
                    + rowFrom + ", " + (rowFrom + rows) + ")");
        }
        return (b * rows + position - rowFrom) * cols;
    }

    /** The logits as a fresh exact-size array. */
    public float[] toArray() {
        float[] out = new float[batch * rows * cols];
        System.arraycopy(data, 0, out, 0, out.length);
        return out;
    }

    /** A copy that later forwards do not overwrite. */
    public Logits copy() {
        return new Logits(toArray(), batch, rowFrom, rows, vocabFrom, cols);
    }
}
