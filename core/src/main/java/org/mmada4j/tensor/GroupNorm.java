package org.mmada4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Group normalisation over a channels-last feature map {@code x[pixels, channels]}, as
 * {@code torch.nn.GroupNorm(groups, channels, eps, affine=True)}, optionally fused with swish
 * ({@code y·sigmoid(y)}), the pair every MAGVIT block applies ({@code common_modules.py}:
 * {@code Normalize} then {@code nonlinearity}).
 *
 * <p>Group g holds channels {@code [g·C/G, (g+1)·C/G)} of every pixel. Statistics are two-pass
 * (mean, then biased variance of {@code x − mean}) with per-channel fp32 partial sums over chunks of
 * {@link #CHUNK} pixels and double accumulation across chunks; the chunking depends only on the
 * problem size, so results do not depend on the thread count. The output is
 * {@code x·scale[c] + shift[c]} with {@code scale = rstd·γ}, {@code shift = β − mean·scale}, the
 * fused form PyTorch's CPU kernel uses.
 */
public final class GroupNorm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Pixels per statistics task. */
    static final int CHUNK = 256;

    private GroupNorm() {
    }

    /**
     * @param x     {@code [pixels, channels]}
     * @param gamma {@code [channels]}
     * @param beta  {@code [channels]}
     * @param out   {@code [pixels, channels]}; may be {@code x} itself
     */
    public static void forward(ComputePool pool, float[] x, int pixels, int channels, int groups, float eps,
                               float[] gamma, float[] beta, boolean swish, float[] out) {
        if (groups < 1 || channels % groups != 0) {
            throw new IllegalArgumentException(channels + " channels cannot be split into " + groups + " groups");
        }
        if (gamma.length != channels || beta.length != channels) {
            throw new IllegalArgumentException("group norm affine params have " + gamma.length + "/" + beta.length
                    + " values, need " + channels);
        }
        int chunks = (pixels + CHUNK - 1) / CHUNK;
        double count = (double) pixels * (channels / groups);

        double[] mean = groupTotals(pool, x, pixels, channels, groups, chunks, null);
        for (int g = 0; g < groups; g++) {
            mean[g] /= count;
        }
        double[] var = groupTotals(pool, x, pixels, channels, groups, chunks, mean);
        float[] scale = new float[channels];
        float[] shift = new float[channels];
        int cpg = channels / groups;
        for (int c = 0; c < channels; c++) {
            int g = c / cpg;
            float rstd = (float) (1.0 / Math.sqrt(var[g] / count + eps));
            scale[c] = rstd * gamma[c];
            shift[c] = beta[c] - (float) mean[g] * scale[c];
        }
        pool.parallelFor(chunks, t -> {
            int p1 = Math.min(pixels, (t + 1) * CHUNK);
            for (int p = t * CHUNK; p < p1; p++) {
                apply(x, out, p * channels, channels, scale, shift, swish);
            }
        });
    }

    /** In-place swish {@code x·sigmoid(x)} over {@code x[off, off+n)}. */
    public static void swish(float[] x, int off, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, off + i);
            swishVector(v).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            float v = x[off + i];
            x[off + i] = v / (1f + (float) Math.exp(-v));
        }
    }

    private static FloatVector swishVector(FloatVector y) {
        return y.div(y.neg().lanewise(VectorOperators.EXP).add(1f));
    }

    private static void apply(float[] x, float[] out, int base, int channels, float[] scale, float[] shift,
                              boolean swish) {
        int c = 0;
        for (int bound = S.loopBound(channels); c < bound; c += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, base + c)
                    .fma(FloatVector.fromArray(S, scale, c), FloatVector.fromArray(S, shift, c));
            (swish ? swishVector(v) : v).intoArray(out, base + c);
        }
        for (; c < channels; c++) {
            float v = x[base + c] * scale[c] + shift[c];
            out[base + c] = swish ? v / (1f + (float) Math.exp(-v)) : v;
        }
    }

    /**
     * Per-group totals of {@code x} (when {@code mean} is null) or of {@code (x − mean[g])²}: fp32
     * per-channel sums within a chunk, double across channels and chunks, summed in chunk order.
     */
    private static double[] groupTotals(ComputePool pool, float[] x, int pixels, int channels, int groups,
                                        int chunks, double[] mean) {
        int cpg = channels / groups;
        float[] centre = new float[channels];
        if (mean != null) {
            for (int c = 0; c < channels; c++) {
                centre[c] = (float) mean[c / cpg];
            }
        }
        double[][] partial = new double[chunks][groups];
        pool.parallelFor(chunks, t -> {
            float[] acc = new float[channels];
            int p1 = Math.min(pixels, (t + 1) * CHUNK);
            for (int p = t * CHUNK; p < p1; p++) {
                accumulate(x, p * channels, channels, centre, mean != null, acc);
            }
            double[] mine = partial[t];
            for (int c = 0; c < channels; c++) {
                mine[c / cpg] += acc[c];
            }
        });
        double[] total = new double[groups];
        for (double[] part : partial) {
            for (int g = 0; g < groups; g++) {
                total[g] += part[g];
            }
        }
        return total;
    }

    private static void accumulate(float[] x, int base, int channels, float[] centre, boolean squares, float[] acc) {
        int c = 0;
        for (int bound = S.loopBound(channels); c < bound; c += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, base + c);
            FloatVector a = FloatVector.fromArray(S, acc, c);
            if (squares) {
                v = v.sub(FloatVector.fromArray(S, centre, c));
                a = v.fma(v, a);
            } else {
                a = a.add(v);
            }
            a.intoArray(acc, c);
        }
        for (; c < channels; c++) {
            float v = x[base + c];
            if (squares) {
                float d = v - centre[c];
                acc[c] += d * d;
            } else {
                acc[c] += v;
            }
        }
    }
}
