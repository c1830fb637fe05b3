package org.mmada4j.vq;

/**
 * PIL's {@code Image.resize(size, Image.BICUBIC)} on 8-bit RGB, bit for bit ({@code libImaging/Resample.c}):
 * what torchvision's {@code Resize} does to a PIL image, i.e. MMaDA's pre-processing.
 *
 * <p>Separable convolution with the Keys cubic (a = −0.5, support 2) stretched by the downscale factor
 * (antialiasing: support × max(1, in/out)); per output pixel the weights over
 * {@code [round(center − support), round(center + support))} are normalised to sum 1, then converted to
 * fixed point with {@link #PRECISION_BITS} fractional bits. The horizontal pass runs first, over just the
 * rows the vertical pass reads, into an 8-bit intermediate (rounded and clipped, as PIL), then the
 * vertical pass. A pass whose size does not change is skipped, as in PIL.
 */
public final class BicubicResampler {
    /** {@code 32 − 8 − 2}: 8-bit samples times 22-bit weights cannot overflow an int accumulator. */
    static final int PRECISION_BITS = 22;
    private static final double SUPPORT = 2.0;

    private BicubicResampler() {
    }

    /** Resizes {@code img} to {@code outW × outH}. */
    public static RgbImage resize(RgbImage img, int outW, int outH) {
        if (outW < 1 || outH < 1) {
            throw new IllegalArgumentException("resize target " + outW + "x" + outH + " must be positive");
        }
        Coefficients horiz = Coefficients.of(img.width(), outW);
        Coefficients vert = Coefficients.of(img.height(), outH);
        boolean needH = outW != img.width();
        boolean needV = outH != img.height();
        RgbImage cur = img;
        if (needH) {
            // Only the source rows the vertical pass reads.
            int yFirst = vert.min[0];
            int yLast = vert.min[outH - 1] + vert.count[outH - 1];
            if (!needV) {
                yFirst = 0;
                yLast = img.height();
            }
            cur = horizontal(img, horiz, yFirst, yLast, outW);
            if (needV) {
                for (int i = 0; i < outH; i++) {
                    vert.min[i] -= yFirst;
                }
            }
        }
        if (needV) {
            cur = vertical(cur, vert, outH);
        }
        return cur;
    }

    /** PIL's {@code bicubic_filter} (a = −0.5). */
    static double cubic(double x) {
        final double a = -0.5;
        x = Math.abs(x);
        if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }

    /** Per output index: first source index, tap count, fixed-point weights ({@code precompute_coeffs}). */
    private static final class Coefficients {
        final int[] min;
        final int[] count;
        final int[][] k;

        private Coefficients(int[] min, int[] count, int[][] k) {
            this.min = min;
            this.count = count;
            this.k = k;
        }

        static Coefficients of(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = SUPPORT * filterScale;
            int[] min = new int[outSize];
            int[] count = new int[outSize];
            int[][] k = new int[outSize][];
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                double ss = 1.0 / filterScale;
                // (int) truncates toward zero as C's cast does.
                int xmin = Math.max(0, (int) (center - support + 0.5));
                int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
                double[] w = new double[Math.max(0, xmax)];
                double ww = 0;
                for (int x = 0; x < w.length; x++) {
                    w[x] = cubic((x + xmin - center + 0.5) * ss);
                    ww += w[x];
                }
                int[] fixed = new int[w.length];
                for (int x = 0; x < w.length; x++) {
                    double v = ww != 0.0 ? w[x] / ww : w[x];
                    // normalize_coeffs_8bpc: round half away from zero, truncating cast.
                    fixed[x] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS)) : (int) (0.5 + v * (1 << PRECISION_BITS));
                }
                min[xx] = xmin;
                count[xx] = w.length;
                k[xx] = fixed;
            }
            return new Coefficients(min, count, k);
        }
    }

    private static RgbImage horizontal(RgbImage in, Coefficients c, int yFirst, int yLast, int outW) {
        int rows = yLast - yFirst;
        byte[] src = in.rgb();
        byte[] out = new byte[outW * rows * 3];
        for (int y = 0; y < rows; y++) {
            int rowBase = (y + yFirst) * in.width() * 3;
            for (int xx = 0; xx < outW; xx++) {
                int[] k = c.k[xx];
                int xmin = c.min[xx];
                for (int ch = 0; ch < 3; ch++) {
                    int ss = 1 << (PRECISION_BITS - 1);
                    for (int x = 0; x < k.length; x++) {
                        ss += (src[rowBase + (x + xmin) * 3 + ch] & 0xff) * k[x];
                    }
                    out[(y * outW + xx) * 3 + ch] = clip8(ss);
                }
            }
        }
        return new RgbImage(outW, rows, out);
    }

    private static RgbImage vertical(RgbImage in, Coefficients c, int outH) {
        int w = in.width();
        byte[] src = in.rgb();
        byte[] out = new byte[w * outH * 3];
        for (int yy = 0; yy < outH; yy++) {
            int[] k = c.k[yy];
            int ymin = c.min[yy];
            for (int x = 0; x < w; x++) {
                for (int ch = 0; ch < 3; ch++) {
                    int ss = 1 << (PRECISION_BITS - 1);
                    for (int y = 0; y < k.length; y++) {
                        ss += (src[((y + ymin) * w + x) * 3 + ch] & 0xff) * k[y];
                    }
                    out[(yy * w + x) * 3 + ch] = clip8(ss);
                }
            }
        }
        return new RgbImage(w, outH, out);
    }

    /** {@code clip8}: arithmetic shift out the fraction (floor), clamp to [0, 255]. */
    private static byte clip8(int ss) {
        int v = ss >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }
}
