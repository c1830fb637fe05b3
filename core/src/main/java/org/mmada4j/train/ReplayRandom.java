package org.mmada4j.train;

/**
 * Replays recorded draws (e.g. the reference's {@code torch.rand} tensors from the golden files)
 * in order. Running out is an error, not a silent wrap-around: it means the port drew more than
 * the reference did.
 */
public final class ReplayRandom implements RandomSource {
    private final float[] draws;
    private int next;

    /** The given arrays concatenated, in call order. */
    public ReplayRandom(float[]... recorded) {
        int n = 0;
        for (float[] r : recorded) {
            n += r.length;
        }
        draws = new float[n];
        int at = 0;
        for (float[] r : recorded) {
            System.arraycopy(r, 0, draws, at, r.length);
            at += r.length;
        }
    }

    @Override
    public float nextFloat() {
        if (next >= draws.length) {
            throw new IllegalStateException("replayed randomness exhausted after " + draws.length + " draws");
        }
        return draws[next++];
    }

    /** How many recorded draws are left (0 when the port consumed exactly what the reference did). */
    public int remaining() {
        return draws.length - next;
    }
}
