package org.mmada4j.vq;

/**
 * An 8-bit RGB image, row-major interleaved {@code rgb[y, x, 3]}: what PIL's {@code convert("RGB")}
 * holds, and what the pre-processing resamples (in 8-bit, as PIL does).
 */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        if (width < 1 || height < 1 || rgb.length != (long) width * height * 3) {
            throw new IllegalArgumentException("RGB image " + width + "x" + height + " over " + rgb.length + " bytes");
        }
    }

    /** Value of channel {@code c} at {@code (x, y)}, 0..255. */
    public int get(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xff;
    }

    /** The {@code w×h} window at {@code (left, top)}, which must lie inside the image. */
    public RgbImage crop(int left, int top, int w, int h) {
        if (left < 0 || top < 0 || left + w > width || top + h > height) {
            throw new IllegalArgumentException("crop " + w + "x" + h + "+" + left + "+" + top + " outside "
                    + width + "x" + height);
        }
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            System.arraycopy(rgb, ((top + y) * width + left) * 3, out, y * w * 3, w * 3);
        }
        return new RgbImage(w, h, out);
    }
}
