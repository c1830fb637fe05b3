package org.mmada4j.io;

import java.util.Arrays;

/**
 * An array read from or written to a {@code .npy} file: a shape and the values, held as fp32
 * ({@code <f4}, also {@code <f8} narrowed), int64 ({@code <i8}, also int32/bool widened) arrays.
 * Exactly one of {@link #floats()} and {@link #longs()} is non-null.
 */
public record NpyArray(long[] shape, float[] floats, long[] longs) {
    public NpyArray {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if ((floats == null) == (longs == null)) {
            throw new IllegalArgumentException("exactly one of floats and longs must be given");
        }
        int len = floats != null ? floats.length : longs.length;
        if (len != n) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + len);
        }
        shape = shape.clone();
    }

    public static NpyArray ofFloats(float[] values, long... shape) {
        return new NpyArray(shape, values, null);
    }

    public static NpyArray ofLongs(long[] values, long... shape) {
        return new NpyArray(shape, null, values);
    }

    public boolean isFloat() {
        return floats != null;
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return Math.toIntExact(shape[i < 0 ? shape.length + i : i]);
    }

    public int size() {
        return floats != null ? floats.length : longs.length;
    }

    /** The values as ints (token ids), checking range. */
    public int[] toInts() {
        if (longs == null) {
            throw new IllegalStateException("array holds floats, not integers");
        }
        int[] out = new int[longs.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.toIntExact(longs[i]);
        }
        return out;
    }
}
