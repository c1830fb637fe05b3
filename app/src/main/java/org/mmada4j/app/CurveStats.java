package org.mmada4j.app;

/**
 * Statistics of reward curves from repeated runs ({@code curves[seed][step]}): the mean curve with
 * its standard error, a per-seed final reward (mean of the last steps), paired differences between
 * two variants run from the same seeds (with a Student-t confidence interval, since seed pairs share
 * initial weights and rollout randomness and are compared seed by seed), and a steadiness measure
 * (the mean absolute step-to-step change of a seed's curve: a curve that keeps dipping and
 * recovering scores high even when its average is the same).
 */
public final class CurveStats {
    private CurveStats() {
    }

    /** A mean with its standard error and the bounds of a two-sided 95 % confidence interval. */
    public record Estimate(double mean, double se, double lo95, double hi95, int n) {
        @Override
        public String toString() {
            return String.format("%+.3f ± %.3f (95%% CI [%+.3f, %+.3f], n=%d)", mean, se, lo95, hi95, n);
        }
    }

    /** Mean over seeds at every step. */
    public static double[] meanCurve(double[][] curves) {
        int steps = curves[0].length;
        double[] m = new double[steps];
        for (int t = 0; t < steps; t++) {
            m[t] = mean(column(curves, t));
        }
        return m;
    }

    /** Standard error of the across-seed mean at every step (sample std / √n; 0 for a single seed). */
    public static double[] standardErrorCurve(double[][] curves) {
        int steps = curves[0].length;
        double[] se = new double[steps];
        for (int t = 0; t < steps; t++) {
            se[t] = sampleStd(column(curves, t)) / Math.sqrt(curves.length);
        }
        return se;
    }

    /** Per seed: the mean of the last {@code window} steps. */
    public static double[] finalRewards(double[][] curves, int window) {
        double[] f = new double[curves.length];
        for (int s = 0; s < curves.length; s++) {
            int steps = curves[s].length;
            int w = Math.max(1, Math.min(window, steps));
            double acc = 0;
            for (int t = steps - w; t < steps; t++) {
                acc += curves[s][t];
            }
            f[s] = acc / w;
        }
        return f;
    }

    /** Per seed: mean |r_t − r_{t−1}| over the curve (0 for a one-step curve). */
    public static double[] meanAbsoluteChange(double[][] curves) {
        double[] f = new double[curves.length];
        for (int s = 0; s < curves.length; s++) {
            double acc = 0;
            for (int t = 1; t < curves[s].length; t++) {
                acc += Math.abs(curves[s][t] - curves[s][t - 1]);
            }
            f[s] = curves[s].length < 2 ? 0 : acc / (curves[s].length - 1);
        }
        return f;
    }

    /** Mean, standard error and t-interval of independent (or already paired-differenced) values. */
    public static Estimate estimate(double[] values) {
        int n = values.length;
        double m = mean(values);
        double se = n < 2 ? Double.NaN : sampleStd(values) / Math.sqrt(n);
        double half = n < 2 ? Double.NaN : studentT975(n - 1) * se;
        return new Estimate(m, se, m - half, m + half, n);
    }

    /** The paired difference a − b, seed by seed. */
    public static Estimate pairedDifference(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired samples differ in size: " + a.length + " vs " + b.length);
        }
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return estimate(d);
    }

    public static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Sample standard deviation (n − 1 in the denominator; 0 for fewer than two values). */
    public static double sampleStd(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v);
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        return Math.sqrt(ss / (v.length - 1));
    }

    /**
     * The 97.5 % quantile of Student's t with {@code df} degrees of freedom: exact table values for
     * df ≤ 30 (where the normal approximation is poorest), the Cornish–Fisher expansion around the
     * normal quantile beyond (error below 1e-4 there).
     */
    public static double studentT975(int df) {
        if (df < 1) {
            throw new IllegalArgumentException("degrees of freedom must be >= 1, got " + df);
        }
        if (df <= T975.length) {
            return T975[df - 1];
        }
        double z = 1.959963984540054;
        double n = df;
        double z3 = z * z * z;
        double z5 = z3 * z * z;
        double z7 = z5 * z * z;
        return z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n)
                + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * n * n * n);
    }

    private static final double[] T975 = {12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622,
            2.2281, 2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860, 2.0796, 2.0739,
            2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423};

    private static double[] column(double[][] curves, int t) {
        double[] c = new double[curves.length];
        for (int s = 0; s < curves.length; s++) {
            c[s] = curves[s][t];
        }
        return c;
    }
}
