package org.mmada4j.train;

/**
 * A seeded SplitMix64 stream of fp32 uniforms. Its whole state is one {@code long}, so a checkpoint
 * stores it and a resumed run continues the exact same sequence.
 */
public final class SeededRandom implements RandomSource {
    private long state;

    public SeededRandom(long seed) {
        this.state = seed;
    }

    /** A stream that continues from a saved {@link #state()}. */
    public static SeededRandom restore(long state) {
        return new SeededRandom(state);
    }

    public long state() {
        return state;
    }

    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** 24 random bits scaled to [0, 1): every value is an exact fp32, as torch.rand's. */
    @Override
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        return (int) Math.floorMod(nextLong(), (long) bound);
    }
}
