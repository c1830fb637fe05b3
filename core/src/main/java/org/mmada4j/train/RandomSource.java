package org.mmada4j.train;

/**
 * Where training draws its uniforms from. The reference draws every random number of the data
 * preparation with {@code torch.rand} (fp32 in [0, 1)); tests replay the recorded draws through
 * {@link ReplayRandom}, runs use a {@link SeededRandom} whose state goes into checkpoints.
 */
public interface RandomSource {
    /** The next uniform in [0, 1). */
    float nextFloat();

    /** The next {@code n} uniforms, in call order (as one {@code torch.rand(n)}). */
    default float[] next(int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = nextFloat();
        }
        return out;
    }
}
