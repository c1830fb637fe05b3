package org.mmada4j.sample;

/** Called after every text sampler step (progress bars, streaming). */
@FunctionalInterface
public interface TextStepListener {
    /**
     * @param step      0-based global step, of {@code steps}
     * @param x         [B][L] the sequence after this step's commits (live array: copy to keep)
     * @param committed tokens committed this step over the batch
     */
    void onStep(int step, int steps, int[][] x, int committed);

    TextStepListener NONE = (s, n, x, c) -> { };
}
