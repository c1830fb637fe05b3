package org.mmada4j.train;

import org.mmada4j.tensor.ComputePool;
import org.mmada4j.vq.ImageTransforms;
import org.mmada4j.vq.Magvit;
import org.mmada4j.vq.RgbImage;

/** Image codes of a t2i rollout → the RGB image its rewards score. */
@FunctionalInterface
public interface ImageDecoder {
    RgbImage decode(int[] codes);

    /**
     * MAGVIT-v2 decoding as the inference scripts: codes clamped to the codebook, a square grid,
     * {@code clamp((x+1)/2, 0, 1)·255} truncated.
     */
    static ImageDecoder magvit(Magvit vq, ComputePool pool) {
        return codes -> {
            int side = Magvit.squareSide(codes.length);
            int[] c = new int[codes.length];
            int max = vq.config().codebookSize() - 1;
            for (int i = 0; i < c.length; i++) {
                c[i] = Math.max(0, Math.min(max, codes[i]));
            }
            int px = side * vq.upsampleFactor();
            return ImageTransforms.fromModelOutput(vq.decode(pool, c, side, side), px, px);
        };
    }
}
