package org.mmada4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mmada4j.testing.Assertions2.assertClose;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Vectorised {@link GroupNorm} against the scalar twin {@link GroupNormReference}. */
class GroupNormTest {
    static final double ATOL = 2e-5;

    // Groups of a single element (variance 0, rstd = 1/sqrt(eps)) are left out: the fused
    // x·scale + shift form (PyTorch's too) cancels catastrophically there by design.
    @ParameterizedTest
    @CsvSource({
        "3, 64, 32, false", "7, 64, 32, true", "300, 96, 32, true", "513, 13, 13, false", "5, 6, 2, true",
        "1000, 40, 4, false"})
    void matchesScalarTwin(int pixels, int channels, int groups, boolean swish) {
        Random rnd = new Random(pixels * 13 + channels);
        float[] x = new float[pixels * channels];
        for (int i = 0; i < x.length; i++) {
            // an offset mean exercises the two-pass variance
            x[i] = (float) (3 + 2 * rnd.nextGaussian());
        }
        float[] gamma = new float[channels];
        float[] beta = new float[channels];
        for (int c = 0; c < channels; c++) {
            gamma[c] = (float) (1 + 0.1 * rnd.nextGaussian());
            beta[c] = (float) (0.1 * rnd.nextGaussian());
        }
        float[] expected = new float[x.length];
        GroupNormReference.forward(x, pixels, channels, groups, 1e-6f, gamma, beta, swish, expected);
        float[] one = new float[x.length];
        float[] three = x.clone();
        try (ComputePool p1 = new ComputePool(1); ComputePool p3 = new ComputePool(3)) {
            GroupNorm.forward(p1, x, pixels, channels, groups, 1e-6f, gamma, beta, swish, one);
            GroupNorm.forward(p3, three, pixels, channels, groups, 1e-6f, gamma, beta, swish, three); // in place
        }
        assertClose("group norm", expected, one, ATOL, 0);
        assertArrayEquals(one, three, "result depends on the thread count or on aliasing");
    }

    @Test
    void swishMatchesDefinition() {
        float[] x = {-20f, -1.5f, 0f, 0.3f, 2f, 9f, -3f, 4f, 1e-3f, -7f, 5f};
        float[] y = x.clone();
        GroupNorm.swish(y, 0, y.length);
        float[] expected = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            expected[i] = (float) (x[i] / (1 + Math.exp(-x[i])));
        }
        assertClose("swish", expected, y, 1e-6, 1e-6);
    }

    @Test
    void expIsAccurateAndTheVectorAndScalarFormsAgreeBitForBit() {
        var species = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
        float[] xs = new float[species.length() * 4000];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = -87f + 175f * i / (xs.length - 1);
        }
        double worstUlps = 0;
        for (int i = 0; i < xs.length; i += species.length()) {
            float[] got = new float[species.length()];
            GroupNorm.exp(jdk.incubator.vector.FloatVector.fromArray(species, xs, i)).intoArray(got, 0);
            for (int l = 0; l < got.length; l++) {
                float x = xs[i + l];
                assertEquals(Float.floatToIntBits(GroupNorm.exp(x)), Float.floatToIntBits(got[l]), "exp(" + x + ")");
                double exact = Math.exp(x);
                worstUlps = Math.max(worstUlps, Math.abs(got[l] - exact) / Math.ulp((float) exact));
            }
        }
        assertTrue(worstUlps <= 2, "exp error " + worstUlps + " ulp");
        // clamped ends: swish stays exact to fp32 beyond them
        assertEquals(Math.exp(88.0), GroupNorm.exp(1000f), Math.ulp((float) Math.exp(88.0)) * 2);
        float[] big = {-200f, 200f};
        GroupNorm.swish(big, 0, 2);
        assertEquals(0f, big[0], 1e-30f);
        assertEquals(200f, big[1]);
    }

    @Test
    void rejectsChannelsNotDivisibleByGroups() {
        assertThrows(IllegalArgumentException.class, () -> GroupNorm.forward(ComputePool.shared(), new float[30], 1, 30,
                32, 1e-6f, new float[30], new float[30], false, new float[30]));
    }
}
