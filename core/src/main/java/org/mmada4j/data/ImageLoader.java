package org.mmada4j.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;

/**
 * Decodes a dataset image (PNG, JPEG, BMP, GIF via ImageIO), resizes its shorter side to
 * {@code resolution} (bicubic) and center-crops a square, as the reference's image transforms,
 * giving planar RGB {@code [3, res, res]} in [−1, 1] (the MAGVIT-v2 input range).
 */
public final class ImageLoader {
    private ImageLoader() {
    }

    /** The raw bytes of an image reference; a missing file is an error naming it and the line. */
    public static byte[] bytes(TrainingExample.ImageRef ref, String source) {
        if (ref.bytes() != null) {
            return ref.bytes();
        }
        try {
            if (!Files.isRegularFile(ref.path())) {
                throw new DataFormatException(source + ": image " + ref.path() + " does not exist");
            }
            return Files.readAllBytes(ref.path());
        } catch (IOException e) {
            throw new DataFormatException(source + ": cannot read image " + ref.path() + ": " + e.getMessage(), e);
        }
    }

    /** Decodes and preprocesses; undecodable bytes are an error naming the image and the line. */
    public static float[] load(byte[] bytes, int resolution, String what) {
        BufferedImage img;
        try {
            img = javax.imageio.ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new DataFormatException(what + ": image cannot be decoded: " + e.getMessage(), e);
        }
        if (img == null || img.getWidth() <= 0 || img.getHeight() <= 0) {
            throw new DataFormatException(what + ": image cannot be decoded (" + bytes.length + " bytes, unknown or corrupt format)");
        }
        double scale = (double) resolution / Math.min(img.getWidth(), img.getHeight());
        int w = Math.max(resolution, (int) Math.round(img.getWidth() * scale));
        int h = Math.max(resolution, (int) Math.round(img.getHeight() * scale));
        BufferedImage resized = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = resized.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(img, 0, 0, w, h, null);
        g.dispose();
        int x0 = (w - resolution) / 2;
        int y0 = (h - resolution) / 2;
        float[] out = new float[3 * resolution * resolution];
        int plane = resolution * resolution;
        for (int y = 0; y < resolution; y++) {
            for (int x = 0; x < resolution; x++) {
                int rgb = resized.getRGB(x0 + x, y0 + y);
                int i = y * resolution + x;
                out[i] = ((rgb >> 16) & 0xff) / 127.5f - 1f;
                out[plane + i] = ((rgb >> 8) & 0xff) / 127.5f - 1f;
                out[2 * plane + i] = (rgb & 0xff) / 127.5f - 1f;
            }
        }
        return out;
    }
}
