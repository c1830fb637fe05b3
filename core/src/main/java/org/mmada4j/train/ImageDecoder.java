package org.mmada4j.train;

import org.mmada4j.tensor.ComputePool;
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
            return vq.decodeImage(pool, codes, side, side);
        };
    }
}
