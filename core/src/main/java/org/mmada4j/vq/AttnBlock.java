package org.mmada4j.vq;

import org.mmada4j.tensor.Attention;
import org.mmada4j.tensor.AttentionMask;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.VectorOps;

/**
 * {@code AttnBlock} of {@code common_modules.py}: single-head self-attention over the h·w positions,
 * {@code x + proj_out(softmax(q·kᵀ·c^−½)·v)} with q, k, v 1×1 convs of {@code norm(x)} (no swish).
 * In channels-last layout q, k and v are already token-major {@code [h·w, c]}, the layout of
 * {@link Attention#forward} with one head of dimension c (whose scale is the same c^−½).
 */
final class AttnBlock {
    private final int channels;
    private final NormLayer norm;
    private final ConvLayer q;
    private final ConvLayer k;
    private final ConvLayer v;
    private final ConvLayer projOut;

    private AttnBlock(int channels, NormLayer norm, ConvLayer q, ConvLayer k, ConvLayer v, ConvLayer projOut) {
        this.channels = channels;
        this.norm = norm;
        this.q = q;
        this.k = k;
        this.v = v;
        this.projOut = projOut;
    }

    static AttnBlock bind(WeightBinder wb, String prefix, int c) {
        return new AttnBlock(c, NormLayer.bind(wb, prefix + ".norm", c),
                ConvLayer.conv1(wb, prefix + ".q", c, c), ConvLayer.conv1(wb, prefix + ".k", c, c),
                ConvLayer.conv1(wb, prefix + ".v", c, c), ConvLayer.conv1(wb, prefix + ".proj_out", c, c));
    }

    FeatureMap forward(ComputePool pool, FeatureMap x) {
        FeatureMap h = norm.forward(pool, x, false);
        FeatureMap qs = q.forward(pool, h);
        FeatureMap ks = k.forward(pool, h);
        FeatureMap vs = v.forward(pool, h);
        int n = x.pixels();
        FeatureMap att = FeatureMap.zeros(x.h(), x.w(), channels);
        Attention.forward(pool, qs.data(), ks.data(), vs.data(), att.data(), 1, n, n, 0, 1, channels,
                AttentionMask.none());
        FeatureMap out = projOut.forward(pool, att);
        VectorOps.addInPlace(out.data(), 0, x.data(), 0, out.data().length);
        return out;
    }

    long macs(int hgt, int wid) {
        long n = (long) hgt * wid;
        return 4 * q.macs(hgt, wid) + 2 * n * n * channels;
    }
}
