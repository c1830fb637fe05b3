package org.mmada4j.sample;

import java.util.SplittableRandom;

/**
 * The default {@link SamplingRandom}: a {@link SplittableRandom} from a seed, so the same seed gives the
 * same output. Draws are not PyTorch's (no generator is bit-compatible); parity uses replayed draws.
 */
public final class SeededRandom implements SamplingRandom {
    private final SplittableRandom rng;

    public SeededRandom(long seed) {
        this.rng = new SplittableRandom(seed);
    }

    @Override
    public void multinomial(float[] probs, int rows, int cols, int[] out) {
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            double total = 0;
            for (int c = 0; c < cols; c++) {
                total += probs[off + c];
            }
            double u = rng.nextDouble() * total;
            double cum = 0;
            int pick = -1;
            for (int c = 0; c < cols; c++) {
                if (probs[off + c] > 0) {
                    cum += probs[off + c];
                    pick = c;
                    if (cum > u) {
                        break;
                    }
                }
            }
            if (pick < 0) {
                throw new IllegalArgumentException("row " + r + " of the sampling distribution has no positive mass");
            }
            out[r] = pick;
        }
    }

    @Override
    public void gumbel(float[] out) {
        for (int i = 0; i < out.length; i++) {
            float u = (float) rng.nextDouble();
            // -log(-log(u)) with both logs clamped at 1e-20, as sampling.gumbel_noise
            float inner = (float) -Math.log(Math.max(u, 1e-20f));
            out[i] = (float) -Math.log(Math.max(inner, 1e-20f));
        }
    }

    @Override
    public void uniform(double[] out) {
        for (int i = 0; i < out.length; i++) {
            double u;
            do {
                u = rng.nextDouble();
            } while (u == 0.0);
            out[i] = u;
        }
    }
}
