package org.mmada4j.vq;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.mmada4j.io.AtomicFiles;

/**
 * Image files in and out: PNG and JPEG (anything {@code javax.imageio} decodes) to 8-bit RGB, PNG out.
 *
 * <p>Reading checks the pixel count from the header before decoding, so a decompression bomb (a small
 * file declaring a huge image) is refused without allocating it; the default limit is PIL's
 * {@code MAX_IMAGE_PIXELS} (89,478,485), system property {@code mmada4j.image.maxPixels}. Pixels
 * follow PIL's {@code Image.open(f).convert("RGB")} (checked on palette, 1-bit, grey, grey+alpha,
 * RGBA, 16-bit grey and 16-bit RGB PNGs): alpha is dropped without compositing, grey is replicated from
 * the raw samples (not through Java's colour conversion, which would apply a gamma curve).
 */
public final class ImageFiles {
    /** PIL's {@code Image.MAX_IMAGE_PIXELS}. */
    public static final long DEFAULT_MAX_PIXELS = 89_478_485L;

    private ImageFiles() {
    }

    public static long maxPixels() {
        return Long.getLong("mmada4j.image.maxPixels", DEFAULT_MAX_PIXELS);
    }

    public static RgbImage read(Path file) throws IOException {
        return read(file, maxPixels());
    }

    public static RgbImage read(Path file, long maxPixels) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": image file not found");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            return decode(in, file.toString(), maxPixels);
        }
    }

    /** Decodes image bytes (e.g. embedded in a dataset line); {@code what} names them in errors. */
    public static RgbImage decode(byte[] bytes, String what) throws IOException {
        return decode(bytes, what, maxPixels());
    }

    public static RgbImage decode(byte[] bytes, String what, long maxPixels) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            return decode(in, what, maxPixels);
        }
    }

    private static RgbImage decode(ImageInputStream in, String what, long maxPixels) throws IOException {
        Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
        if (readers == null || !readers.hasNext()) {
            throw new IOException(what + ": not a readable image (PNG or JPEG expected)");
        }
        ImageReader reader = readers.next();
        try {
            reader.setInput(in, true, true);
            long w = reader.getWidth(0);
            long h = reader.getHeight(0);
            if (w < 1 || h < 1) {
                throw new IOException(what + ": image has no pixels (" + w + "x" + h + ")");
            }
            if (w * h > maxPixels) {
                throw new IOException(what + ": image of " + w + "x" + h + " = " + w * h
                        + " pixels exceeds the limit of " + maxPixels + " (mmada4j.image.maxPixels);"
                        + " refused before decoding");
            }
            BufferedImage img = reader.read(0);
            return toRgb(img);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IOException io && io.getMessage() != null && io.getMessage().startsWith(what)) {
                throw io;
            }
            throw new IOException(what + ": cannot decode image (" + e.getMessage() + ")", e);
        } finally {
            reader.dispose();
        }
    }

    /** Writes {@code img} as PNG, atomically (temporary sibling, then rename). */
    public static void writePng(Path file, RgbImage img) throws IOException {
        BufferedImage bi = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_3BYTE_BGR);
        int[] pixel = new int[3];
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                pixel[0] = img.get(x, y, 0);
                pixel[1] = img.get(x, y, 1);
                pixel[2] = img.get(x, y, 2);
                bi.getRaster().setPixel(x, y, pixel);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(bi, "png", bytes)) {
            throw new IOException(file + ": no PNG writer available");
        }
        AtomicFiles.write(file, bytes.toByteArray());
    }

    static RgbImage toRgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] rgb = new byte[w * h * 3];
        Raster r = img.getRaster();
        java.awt.image.ColorModel cm = img.getColorModel();
        int type = cm.getColorSpace().getType();
        int bits = cm.getComponentSize(0);
        boolean direct = !(cm instanceof java.awt.image.IndexColorModel) && (bits == 8 || bits == 16)
                && (type == ColorSpace.TYPE_GRAY || type == ColorSpace.TYPE_RGB);
        if (direct) {
            // Raw samples as PIL maps them: 8-bit as is; 16-bit RGB keeps the high byte; 16-bit grey
            // ("I;16") is clipped at 255. Java's getRGB would run them through colour conversions.
            boolean grey = type == ColorSpace.TYPE_GRAY;
            int[] row = new int[w];
            for (int c = 0; c < 3; c++) {
                int band = grey ? 0 : c;
                for (int y = 0; y < h; y++) {
                    r.getSamples(0, y, w, 1, band, row);
                    for (int x = 0; x < w; x++) {
                        int v = row[x];
                        if (bits == 16) {
                            v = grey ? Math.min(v, 255) : v >>> 8;
                        }
                        rgb[(y * w + x) * 3 + c] = (byte) v;
                    }
                }
            }
        } else {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int argb = row[x];
                    int o = (y * w + x) * 3;
                    rgb[o] = (byte) (argb >> 16);
                    rgb[o + 1] = (byte) (argb >> 8);
                    rgb[o + 2] = (byte) argb;
                }
            }
        }
        return new RgbImage(w, h, rgb);
    }
}
