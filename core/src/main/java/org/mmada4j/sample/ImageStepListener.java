package org.mmada4j.sample;

/** Called after every MaskGIT step, e.g. to stream previews (app.py's stepwise decoding). */
@FunctionalInterface
public interface ImageStepListener {
    /**
     * @param step   0-based step just finished, of {@code steps}
     * @param codes  [B][N] the codes sampled this step (complete: known codes kept), what a preview decodes
     * @param ids    [B][L] the sequence after re-masking, the next step's input
     */
    void onStep(int step, int steps, int[][] codes, int[][] ids);

    ImageStepListener NONE = (s, n, c, i) -> { };
}
