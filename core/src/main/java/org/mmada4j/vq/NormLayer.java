package org.mmada4j.vq;

import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.GroupNorm;

/** {@code Normalize(c)} of {@code common_modules.py}: GroupNorm(32 groups, eps 1e-6, affine). */
final class NormLayer {
    private final int channels;
    private final float[] gamma; // [c]
    private final float[] beta;  // [c]

    private NormLayer(int channels, float[] gamma, float[] beta) {
        this.channels = channels;
        this.gamma = gamma;
        this.beta = beta;
    }

    static NormLayer bind(WeightBinder wb, String prefix, int channels) {
        return new NormLayer(channels, wb.vector(prefix + ".weight", channels), wb.vector(prefix + ".bias", channels));
    }

    /** GroupNorm, then swish when {@code swish} ({@code nonlinearity} follows every norm but the attention's). */
    FeatureMap forward(ComputePool pool, FeatureMap x, boolean swish) {
        FeatureMap y = FeatureMap.zeros(x.h(), x.w(), channels);
        GroupNorm.forward(pool, x.data(), x.pixels(), channels, MagvitConfig.NORM_GROUPS, MagvitConfig.NORM_EPS,
                gamma, beta, swish, y.data());
        return y;
    }
}
