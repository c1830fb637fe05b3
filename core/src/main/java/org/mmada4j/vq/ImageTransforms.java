package org.mmada4j.vq;

/**
 * MMaDA's image pre- and post-processing ({@code training/utils.py image_transform} /
 * {@code image_transform_squash}, and the {@code (x+1)/2} clamp of the inference scripts), in the same
 * fp32 arithmetic as torchvision and numpy.
 */
public final class ImageTransforms {
    private ImageTransforms() {
    }

    /**
     * {@code Resize(size, BICUBIC)} then {@code CenterCrop(size)}: the shorter side becomes {@code size}
     * (the longer {@code int(size·long/short)}, torchvision's truncation), then the centre
     * {@code size×size} window (offsets {@code round((extent − size)/2)}, Python's half-to-even).
     */
    public static RgbImage resizeCenterCrop(RgbImage img, int size) {
        int w = img.width();
        int h = img.height();
        int newW;
        int newH;
        if (w <= h) {
            newW = size;
            newH = (int) ((long) size * h / w);
        } else {
            newH = size;
            newW = (int) ((long) size * w / h);
        }
        RgbImage resized = (newW == w && newH == h) ? img : BicubicResampler.resize(img, newW, newH);
        int top = (int) Math.rint((newH - size) / 2.0);
        int left = (int) Math.rint((newW - size) / 2.0);
        return resized.crop(left, top, size, size);
    }

    /** {@code Resize((height, width), BICUBIC)}: both sides forced, aspect ratio not kept. */
    public static RgbImage squash(RgbImage img, int width, int height) {
        if (img.width() == width && img.height() == height) {
            return img;
        }
        return BicubicResampler.resize(img, width, height);
    }

    /**
     * {@code ToTensor()} then {@code Normalize([0.5]*3, [0.5]*3)}: planar {@code [3, h, w]} floats in
     * [−1, 1], computed as {@code (b/255 − 0.5)/0.5} in fp32.
     */
    public static float[] toModelInput(RgbImage img) {
        int n = img.width() * img.height();
        float[] out = new float[3 * n];
        byte[] rgb = img.rgb();
        for (int p = 0; p < n; p++) {
            for (int c = 0; c < 3; c++) {
                float v = (rgb[p * 3 + c] & 0xff) / 255f;
                out[c * n + p] = (v - 0.5f) / 0.5f;
            }
        }
        return out;
    }

    /**
     * The inference scripts' {@code clamp((x + 1)/2, 0, 1)·255} then {@code astype(uint8)} (truncation),
     * from planar {@code [3, h, w]} decoder output. NaN becomes 0, as numpy's cast does on x86.
     */
    public static RgbImage fromModelOutput(float[] planar, int width, int height) {
        int n = width * height;
        if (planar.length != 3 * n) {
            throw new IllegalArgumentException("decoder output of " + planar.length + " floats is not 3x" + height + "x" + width);
        }
        byte[] rgb = new byte[3 * n];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < n; p++) {
                float v = (planar[c * n + p] + 1f) / 2f;
                v = Math.min(Math.max(v, 0f), 1f) * 255f;
                rgb[p * 3 + c] = (byte) (Float.isNaN(v) ? 0 : (int) v);
            }
        }
        return new RgbImage(width, height, rgb);
    }
}
