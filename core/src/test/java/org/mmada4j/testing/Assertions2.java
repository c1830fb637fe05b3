package org.mmada4j.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;

/** Numeric comparisons that report where and by how much arrays differ (as llm.c's check_tensor). */
public final class Assertions2 {
    private Assertions2() {
    }

    /** |expected − actual| ≤ atol + rtol·|expected| everywhere; the message names the worst index. */
    public static void assertClose(String name, float[] expected, float[] actual, double atol, double rtol) {
        if (expected.length != actual.length) {
            fail(name + ": length " + actual.length + " != expected " + expected.length);
        }
        double worst = -1;
        int worstAt = -1;
        int bad = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            double diff = Math.abs(e - a);
            if (Double.isNaN(a) != Double.isNaN(e) || diff > atol + rtol * Math.abs(e)) {
                bad++;
            }
            if (Double.isNaN(diff) || diff > worst) {
                worst = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff;
                worstAt = i;
            }
        }
        if (bad > 0) {
            fail(String.format("%s: %d of %d values differ; max |diff| %.3g at index %d (expected %s, got %s); "
                            + "atol %.1g rtol %.1g; first expected %s, first actual %s",
                    name, bad, expected.length, worst, worstAt, expected[worstAt], actual[worstAt], atol, rtol,
                    head(expected), head(actual)));
        }
    }

    public static double maxAbsDiff(float[] expected, float[] actual) {
        double m = 0;
        for (int i = 0; i < expected.length; i++) {
            m = Math.max(m, Math.abs((double) expected[i] - actual[i]));
        }
        return m;
    }

    public static void assertEqualIds(String name, long[] expected, long[] actual) {
        if (!Arrays.equals(expected, actual)) {
            int i = Arrays.mismatch(expected, actual);
            fail(name + ": first mismatch at index " + i + " (expected "
                    + (i < expected.length ? expected[i] : "end") + ", got " + (i < actual.length ? actual[i] : "end")
                    + "); expected " + Arrays.toString(expected) + ", got " + Arrays.toString(actual));
        }
    }

    private static String head(float[] a) {
        return Arrays.toString(Arrays.copyOf(a, Math.min(5, a.length)));
    }
}
