package org.mmada4j.tensor;

/**
 * Scalar twin of {@link Conv2d}: the direct 7-loop convolution in double, reading PyTorch's
 * {@code [cout, cin, kh, kw]} weight as stored. The test oracle; never used on hot paths.
 */
public final class Conv2dReference {
    private Conv2dReference() {
    }

    /** {@code out[ho, wo, cout]} from channels-last {@code in[h, w, cin]}; {@code weight} unpacked. */
    public static void forward(ConvSpec s, float[] in, int h, int w, Tensor weight, float[] bias, float[] out) {
        int ho = s.outHeight(h);
        int wo = s.outWidth(w);
        int cin = s.cin();
        for (int oy = 0; oy < ho; oy++) {
            for (int ox = 0; ox < wo; ox++) {
                for (int o = 0; o < s.cout(); o++) {
                    double acc = bias == null ? 0 : bias[o];
                    for (int ky = 0; ky < s.kh(); ky++) {
                        int iy = oy * s.stride() - s.padTop() + ky;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        for (int kx = 0; kx < s.kw(); kx++) {
                            int ix = ox * s.stride() - s.padLeft() + kx;
                            if (ix < 0 || ix >= w) {
                                continue;
                            }
                            for (int i = 0; i < cin; i++) {
                                long wi = (((long) o * cin + i) * s.kh() + ky) * s.kw() + kx;
                                acc += (double) in[(iy * w + ix) * cin + i] * weight.getFloat(wi);
                            }
                        }
                    }
                    out[(oy * wo + ox) * s.cout() + o] = (float) acc;
                }
            }
        }
    }
}
