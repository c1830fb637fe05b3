package org.mmada4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector exp and lane sum built only from IEEE-exact operations (add, mul, fma, exact conversions,
 * lane moves), so they give the same bits interpreted, C1- or C2-compiled. The Vector API's own
 * {@code EXP} (SVML when C2 compiles it, {@code Math.exp} per lane before) and
 * {@code reduceLanes(ADD)} (any order) do not, which would make a kernel's result depend on which
 * thread happened to run warm code — and so on the thread count.
 */
final class VectorMath {
    private VectorMath() {
    }

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    // Lane swaps at distance L/2, L/4, ..., 1: a fixed pairwise summation tree.
    @SuppressWarnings("unchecked")
    private static final VectorShuffle<Float>[] SWAPS = new VectorShuffle[Integer.numberOfTrailingZeros(L)];

    static {
        for (int s = 0, dist = L / 2; dist >= 1; s++, dist /= 2) {
            int d = dist;
            SWAPS[s] = VectorShuffle.fromOp(F, i -> i ^ d);
        }
    }

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float ROUND = 12582912f; // 1.5·2^23: x + ROUND − ROUND rounds to an integer
    private static final float MIN_ARG = -87.33654f; // below: 2^n would be subnormal, return 0
    private static final float MAX_ARG = 88.37626f;  // above: 2^n overflows the exponent, return inf

    /**
     * e^x in fp32 (Cephes expf polynomial, about 1 ulp): x = n·ln2 + r, |r| ≤ ln2/2, e^r by a
     * degree-7 polynomial, 2^n put into the exponent bits. Results below 1.2e-38 flush to 0 (the true
     * value is subnormal) and arguments above 88.376 give +inf (exact: above 88.72); NaN stays NaN.
     */
    static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(MIN_ARG).min(MAX_ARG);
        FloatVector n = xc.mul(LOG2E).add(ROUND).sub(ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HI), xc);
        r = n.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(F, 1.9875691500e-4f);
        p = p.fma(r, FloatVector.broadcast(F, 1.3981999507e-3f));
        p = p.fma(r, FloatVector.broadcast(F, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(F, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(F, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(F, 5.0000001201e-1f));
        p = p.mul(r.mul(r)).add(r).add(1f);
        IntVector bits = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        FloatVector y = p.mul(bits.reinterpretAsFloats());
        y = y.blend(0f, x.compare(VectorOperators.LT, MIN_ARG));
        y = y.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, MAX_ARG));
        return y.blend(x, x.test(VectorOperators.IS_NAN));
    }

    /**
     * {@code out[i] = e^(a·x[i] + b)} for i in [0, n) (in place when out is x); returns the sum of the
     * outputs, vector lanes summed in a fixed tree then the tail in order. The polynomial is written
     * out here rather than calling {@link #exp(FloatVector)}: C2 declines to inline it into large
     * callers, and a vector passed through a call that is not inlined is boxed on the heap.
     */
    static float expAffine(float[] x, int xOff, float[] out, int outOff, int n, float a, float b) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i).mul(a).add(b);
            FloatVector xc = v.max(MIN_ARG).min(MAX_ARG);
            FloatVector k = xc.mul(LOG2E).add(ROUND).sub(ROUND);
            FloatVector r = k.fma(FloatVector.broadcast(F, -LN2_HI), xc);
            r = k.fma(FloatVector.broadcast(F, -LN2_LO), r);
            FloatVector p = FloatVector.broadcast(F, 1.9875691500e-4f);
            p = p.fma(r, FloatVector.broadcast(F, 1.3981999507e-3f));
            p = p.fma(r, FloatVector.broadcast(F, 8.3334519073e-3f));
            p = p.fma(r, FloatVector.broadcast(F, 4.1665795894e-2f));
            p = p.fma(r, FloatVector.broadcast(F, 1.6666665459e-1f));
            p = p.fma(r, FloatVector.broadcast(F, 5.0000001201e-1f));
            p = p.mul(r.mul(r)).add(r).add(1f);
            IntVector bits = ((IntVector) k.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
            FloatVector y = p.mul(bits.reinterpretAsFloats());
            y = y.blend(0f, v.compare(VectorOperators.LT, MIN_ARG));
            y = y.blend(Float.POSITIVE_INFINITY, v.compare(VectorOperators.GT, MAX_ARG));
            y = y.blend(v, v.test(VectorOperators.IS_NAN));
            y.intoArray(out, outOff + i);
            acc = acc.add(y);
        }
        for (VectorShuffle<Float> sw : SWAPS) {
            acc = acc.add(acc.rearrange(sw));
        }
        float sum = acc.lane(0);
        for (; i < n; i++) {
            float y = exp(x[xOff + i] * a + b);
            out[outOff + i] = y;
            sum += y;
        }
        return sum;
    }

    /** Sum of {@code x[i]²} over [off, off+n) in a fixed order (L lanes, a fixed tree, then the tail). */
    static float sumSquares(float[] x, int off, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, off + i);
            acc = v.fma(v, acc);
        }
        for (VectorShuffle<Float> sw : SWAPS) {
            acc = acc.add(acc.rearrange(sw));
        }
        float sum = acc.lane(0);
        for (; i < n; i++) {
            sum += x[off + i] * x[off + i];
        }
        return sum;
    }

    /** Scalar e^x with the same formula (tails of vector loops), bit-identical to a lane of {@link #exp}. */
    static float exp(float x) {
        if (Float.isNaN(x)) {
            return x;
        }
        if (x < MIN_ARG) {
            return 0f;
        }
        if (x > MAX_ARG) {
            return Float.POSITIVE_INFINITY;
        }
        float n = x * LOG2E + ROUND - ROUND;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = 1.9875691500e-4f;
        p = Math.fma(p, r, 1.3981999507e-3f);
        p = Math.fma(p, r, 8.3334519073e-3f);
        p = Math.fma(p, r, 4.1665795894e-2f);
        p = Math.fma(p, r, 1.6666665459e-1f);
        p = Math.fma(p, r, 5.0000001201e-1f);
        p = p * (r * r) + r + 1f;
        return p * Float.intBitsToFloat(((int) n + 127) << 23);
    }

    /** Sum of the lanes in a fixed pairwise order. */
    static float sum(FloatVector v) {
        for (VectorShuffle<Float> s : SWAPS) {
            v = v.add(v.rearrange(s));
        }
        return v.lane(0);
    }
}
