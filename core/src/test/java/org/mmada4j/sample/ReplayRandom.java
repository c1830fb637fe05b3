package org.mmada4j.sample;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.mmada4j.io.NpyArray;

/** Replays recorded reference draws (golden t2i traces), one step's worth per call; fails when they run out. */
final class ReplayRandom implements SamplingRandom {
    private final NpyArray multinomial;
    private final NpyArray gumbel;
    private int multinomialStep;
    private int gumbelStep;

    ReplayRandom(NpyArray multinomial, NpyArray gumbel) {
        this.multinomial = multinomial;
        this.gumbel = gumbel;
    }

    @Override
    public void multinomial(float[] probs, int rows, int cols, int[] out) {
        int per = multinomial.size() / multinomial.dim(0);
        assertTrue(multinomialStep < multinomial.dim(0), "more multinomial calls than recorded steps");
        assertTrue(per == rows, "recorded " + per + " draws per step, sampler asks " + rows);
        for (int r = 0; r < rows; r++) {
            out[r] = Math.toIntExact(multinomial.longs()[multinomialStep * per + r]);
            assertTrue(probs[r * cols + out[r]] > 0, "replayed draw has zero probability: the logits differ");
        }
        multinomialStep++;
    }

    @Override
    public void gumbel(float[] out) {
        int per = gumbel.size() / gumbel.dim(0);
        assertTrue(gumbelStep < gumbel.dim(0), "more gumbel calls than recorded steps");
        assertTrue(per == out.length, "recorded " + per + " gumbel values per step, sampler asks " + out.length);
        System.arraycopy(gumbel.floats(), gumbelStep * per, out, 0, per);
        gumbelStep++;
    }

    @Override
    public void uniform(double[] out) {
        throw new AssertionError("the golden traces record no uniforms");
    }

    int steps() {
        return multinomialStep;
    }
}
