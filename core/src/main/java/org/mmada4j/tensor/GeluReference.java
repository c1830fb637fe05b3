package org.mmada4j.tensor;

/** Scalar twin of {@link Gelu} in double precision: the test oracle (erf by its Taylor series). */
public final class GeluReference {
    private GeluReference() {
    }

    public static float quickGelu(float x) {
        return (float) (x / (1.0 + Math.exp(-1.702 * x)));
    }

    public static float gelu(float x) {
        return (float) (0.5 * x * (1.0 + erf(x / Math.sqrt(2.0))));
    }

    /**
     * erf in double: the Maclaurin series below |x| = 5 (terms peak near 1e9 at x = 5, so about 1e-7
     * absolute cancellation error, far below what fp32 tests resolve) and ±1 beyond (erfc(5) ≈ 1.5e-12).
     */
    static double erf(double x) {
        double a = Math.abs(x);
        if (a >= 5) {
            return Math.signum(x);
        }
        double term = a;
        double sum = a;
        double x2 = a * a;
        for (int n = 1; n < 200; n++) {
            term *= -x2 / n;
            double add = term / (2 * n + 1);
            sum += add;
            if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return Math.signum(x) * Math.min(1.0, 2 / Math.sqrt(Math.PI) * sum);
    }
}
