package org.mmada4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
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
 *
 * <p>Swish uses its own exp ({@link #exp}: Cody–Waite reduction and Cephes' degree-5 polynomial, ≤ 2 ulp
 * on the clamped range) built only from exactly rounded operations, never {@code VectorOperators.EXP}:
 * that one is SVML when the JIT intrinsifies it and {@code Math.exp} per lane when it does not, so
 * the same input would give results differing in the last bit depending on JIT warm-up.
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
            x[off + i] = v / (1f + exp(-v));
        }
    }

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** exp is evaluated on [−87, 88]: both ends stay normal floats; swish is exact to fp32 beyond them. */
    private static final float EXP_LO = -87f;
    private static final float EXP_HI = 88f;
    private static final float[] POLY = {1.9875691500e-4f, 1.3981999507e-3f, 8.3334519073e-3f,
        4.1665795894e-2f, 1.6666665459e-1f, 5.0000001201e-1f};

    private static FloatVector swishVector(FloatVector y) {
        return y.div(exp(y.neg()).add(1f));
    }

    /** e^x on clamp(x, −87, 88), lane-wise; see the class comment for why not {@code VectorOperators.EXP}. */
    static FloatVector exp(FloatVector x) {
        x = x.max(EXP_LO).min(EXP_HI);
        FloatVector t = x.mul(LOG2E).add(0.5f);
        FloatVector n = ((IntVector) t.convert(VectorOperators.F2I, 0)).convert(VectorOperators.I2F, 0)
                .reinterpretAsFloats();
        n = n.sub(1f, n.compare(VectorOperators.GT, t)); // floor(t): truncation rounds negatives up
        FloatVector r = n.fma(FloatVector.broadcast(x.species(), -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(x.species(), -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(x.species(), POLY[0]);
        for (int i = 1; i < POLY.length; i++) {
            p = p.fma(r, FloatVector.broadcast(x.species(), POLY[i]));
        }
        FloatVector e = p.mul(r.mul(r)).add(r).add(1f);
        IntVector bits = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        return e.mul(bits.reinterpretAsFloats());
    }

    /** Scalar twin of {@link #exp(FloatVector)}: the same operations, the same results. */
    static float exp(float x) {
        x = Math.min(Math.max(x, EXP_LO), EXP_HI);
        float t = x * LOG2E + 0.5f;
        float n = (float) (int) t;
        if (n > t) {
            n -= 1f;
        }
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = POLY[0];
        for (int i = 1; i < POLY.length; i++) {
            p = Math.fma(p, r, POLY[i]);
        }
        float e = p * (r * r) + r + 1f;
        return e * Float.intBitsToFloat(((int) n + 127) << 23);
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
            out[base + c] = swish ? v / (1f + exp(-v)) : v;
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
