package org.mmada4j.vq;

/**
 * A channels-last feature map {@code data[h, w, c]} of one image: the activation layout of the
 * whole MAGVIT network (a 1×1 conv is then one GEMM, a group's channels are contiguous per pixel).
 */
public record FeatureMap(float[] data, int h, int w, int c) {
    public FeatureMap {
        if (h < 1 || w < 1 || c < 1 || data.length != h * w * c) {
            throw new IllegalArgumentException("feature map " + h + "x" + w + "x" + c + " over " + data.length + " floats");
        }
    }

    public static FeatureMap zeros(int h, int w, int c) {
        return new FeatureMap(new float[Math.multiplyExact(Math.multiplyExact(h, w), c)], h, w, c);
    }

    public int pixels() {
        return h * w;
    }

    /** From PyTorch's planar {@code [c, h, w]} layout (one image of an NCHW batch at offset {@code off}). */
    public static FeatureMap fromPlanar(float[] chw, int off, int c, int h, int w) {
        float[] d = new float[h * w * c];
        for (int ch = 0; ch < c; ch++) {
            int src = off + ch * h * w;
            for (int p = 0; p < h * w; p++) {
                d[p * c + ch] = chw[src + p];
            }
        }
        return new FeatureMap(d, h, w, c);
    }

    /** To planar {@code [c, h, w]}, written into {@code dst} at {@code off}. */
    public void toPlanar(float[] dst, int off) {
        for (int ch = 0; ch < c; ch++) {
            int base = off + ch * h * w;
            for (int p = 0; p < h * w; p++) {
                dst[base + p] = data[p * c + ch];
            }
        }
    }

    /** Nearest-neighbour ×2 upsampling ({@code F.interpolate(scale_factor=2, mode="nearest")}). */
    public FeatureMap upsampleNearest2x() {
        int w2 = 2 * w;
        float[] d = new float[4 * data.length];
        for (int y = 0; y < h; y++) {
            int row = 2 * y * w2 * c;
            for (int x = 0; x < w; x++) {
                System.arraycopy(data, (y * w + x) * c, d, row + 2 * x * c, c);
                System.arraycopy(data, (y * w + x) * c, d, row + (2 * x + 1) * c, c);
            }
            System.arraycopy(d, row, d, row + w2 * c, w2 * c);
        }
        return new FeatureMap(d, 2 * h, w2, c);
    }
}
