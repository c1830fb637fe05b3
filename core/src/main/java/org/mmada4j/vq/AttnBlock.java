package org.mmada4j.vq;

import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.Gemm;
import org.mmada4j.tensor.Tensor;
import org.mmada4j.tensor.VectorOps;

/**
 * {@code AttnBlock} of {@code common_modules.py}: single-head self-attention over the h·w positions,
 * {@code x + proj_out(softmax(q·kᵀ·c^−½)·v)} with q, k, v 1×1 convs of {@code norm(x)} (no swish).
 * In channels-last layout q, k and v are already token-major {@code [h·w, c]}, so both products are
 * plain GEMMs: scores {@code S = q·kᵀ} ({@link Gemm#matmulNT}), scaled after the product as the
 * reference does ({@code w_ * c**-0.5}), row softmax, then {@code S·v} ({@link Gemm#matmulNN}).
 * Queries go in blocks of {@link #QUERY_BLOCK} rows so the score buffer stays small at any image size.
 */
final class AttnBlock {
    /** Query rows per score block: 256 × n floats (4 MiB at 512 px, where n = 1024). */
    static final int QUERY_BLOCK = 256;

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
        Tensor keys = Tensor.ofFloats(ks.data(), n, channels);
        Tensor values = Tensor.ofFloats(vs.data(), n, channels);
        float scale = (float) Math.pow(channels, -0.5);
        float[] scores = new float[Math.min(n, QUERY_BLOCK) * n];
        for (int q0 = 0; q0 < n; q0 += QUERY_BLOCK) {
            int rows = Math.min(QUERY_BLOCK, n - q0);
            Gemm.matmulNT(pool, qs.data(), q0 * channels, channels, keys, 0, scores, 0, n, rows, n, channels, false);
            pool.parallelFor(rows, r -> {
                int off = r * n;
                for (int j = 0; j < n; j++) {
                    scores[off + j] *= scale;
                }
                VectorOps.softmax(scores, off, n);
            });
            Gemm.matmulNN(pool, scores, 0, n, values, 0, att.data(), q0 * channels, channels, rows, channels, n, false);
        }
        FeatureMap out = projOut.forward(pool, att);
        VectorOps.addInPlace(out.data(), 0, x.data(), 0, out.data().length);
        return out;
    }

    long macs(int hgt, int wid) {
        long n = (long) hgt * wid;
        return 4 * q.macs(hgt, wid) + 2 * n * n * channels;
    }
}
