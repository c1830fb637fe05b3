package org.mmada4j.vq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading PNG/JPEG, refusing bad and oversized images, writing PNG; pre/post-processing arithmetic. */
class ImageFilesTest {
    @TempDir
    Path tmp;

    @Test
    void pngRoundTripsExactly() throws IOException {
        byte[] rgb = new byte[5 * 3 * 3];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) (i * 37);
        }
        RgbImage img = new RgbImage(5, 3, rgb);
        Path f = tmp.resolve("x.png");
        ImageFiles.writePng(f, img);
        RgbImage back = ImageFiles.read(f);
        assertEquals(5, back.width());
        assertEquals(3, back.height());
        assertArrayEquals(rgb, back.rgb());
        try (var s = Files.list(tmp)) {
            assertEquals(1, s.count(), "temporary file left behind");
        }
    }

    @Test
    void greyAndAlphaImagesBecomeRgbLikePil() throws IOException {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 10);
        grey.getRaster().setSample(1, 0, 0, 200);
        Path g = tmp.resolve("g.png");
        ImageIO.write(grey, "png", g.toFile());
        // raw samples replicated (Java's getRGB would gamma-convert 10 to another value)
        assertArrayEquals(new byte[] {10, 10, 10, (byte) 200, (byte) 200, (byte) 200}, ImageFiles.read(g).rgb());

        BufferedImage argb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x10_20_30_40);
        Path a = tmp.resolve("a.png");
        ImageIO.write(argb, "png", a.toFile());
        // convert("RGB") drops alpha without compositing
        assertArrayEquals(new byte[] {0x20, 0x30, 0x40}, ImageFiles.read(a).rgb());
    }

    @Test
    void pngModesMatchPil() throws Exception {
        Path dir = Path.of(getClass().getResource("/vq/pil/modes/generate.py").toURI()).getParent();
        for (String mode : new String[] {"p", "la", "one", "l", "rgba", "i16", "rgb16"}) {
            RgbImage img = ImageFiles.read(dir.resolve(mode + ".png"));
            long[] expected = org.mmada4j.io.Npy.read(dir.resolve(mode + ".npy")).longs();
            assertEquals(expected.length, img.rgb().length, mode);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], img.rgb()[i] & 0xff, mode + " byte " + i);
            }
        }
    }

    @Test
    void jpegIsRead() throws IOException {
        BufferedImage img = new BufferedImage(16, 8, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 16; x++) {
                img.setRGB(x, y, 0x808080);
            }
        }
        Path f = tmp.resolve("x.jpg");
        assertTrue(ImageIO.write(img, "jpeg", f.toFile()));
        RgbImage back = ImageFiles.read(f);
        assertEquals(16, back.width());
        assertEquals(8, back.height());
        assertTrue(Math.abs(back.get(3, 3, 1) - 128) <= 2, "flat grey survives JPEG: " + back.get(3, 3, 1));
    }

    @Test
    void undecodableAndTruncatedFilesFailNamingTheFile() throws IOException {
        Path junk = tmp.resolve("junk.png");
        Files.write(junk, "definitely not an image".getBytes());
        IOException e = assertThrows(IOException.class, () -> ImageFiles.read(junk));
        assertTrue(e.getMessage().contains("junk.png"), e.getMessage());

        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        byte[] whole = bytes.toByteArray();
        Path cut = tmp.resolve("cut.png");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        IOException e2 = assertThrows(IOException.class, () -> ImageFiles.read(cut));
        assertTrue(e2.getMessage().contains("cut.png"), e2.getMessage());

        IOException e3 = assertThrows(IOException.class, () -> ImageFiles.read(tmp.resolve("missing.png")));
        assertTrue(e3.getMessage().contains("not found"), e3.getMessage());
    }

    @Test
    void decompressionBombIsRefusedBeforeDecoding() throws IOException {
        // A valid PNG signature + IHDR declaring 100000 x 100000 pixels, and no image data at all.
        Path bomb = tmp.resolve("bomb.png");
        Files.write(bomb, pngHeaderOnly(100_000, 100_000));
        IOException e = assertThrows(IOException.class, () -> ImageFiles.read(bomb));
        assertTrue(e.getMessage().contains("exceeds the limit"), e.getMessage());
        assertTrue(e.getMessage().contains("bomb.png"), e.getMessage());

        BufferedImage small = new BufferedImage(20, 20, BufferedImage.TYPE_3BYTE_BGR);
        Path f = tmp.resolve("s.png");
        ImageIO.write(small, "png", f.toFile());
        assertThrows(IOException.class, () -> ImageFiles.read(f, 399));
        assertEquals(20, ImageFiles.read(f, 400).width());

        // embedded bytes (dataset lines) go through the same header check, named by the caller
        IOException e2 = assertThrows(IOException.class,
                () -> ImageFiles.decode(pngHeaderOnly(100_000, 100_000), "data.jsonl:7"));
        assertTrue(e2.getMessage().startsWith("data.jsonl:7: ") && e2.getMessage().contains("exceeds the limit"),
                e2.getMessage());
        assertEquals(ImageFiles.read(f).width(), ImageFiles.decode(Files.readAllBytes(f), "s").width());
    }

    @Test
    void modelInputAndOutputFollowTorchvisionAndNumpy() {
        RgbImage img = new RgbImage(2, 1, new byte[] {0, (byte) 255, (byte) 128, 1, 2, 3});
        float[] x = ImageTransforms.toModelInput(img);
        // planar [3, 1, 2]: channel 0 holds pixels 0 and 1
        assertEquals(-1f, x[0]);
        assertEquals((1 / 255f - 0.5f) / 0.5f, x[1]);
        assertEquals(1f, x[2]);
        assertEquals((128 / 255f - 0.5f) / 0.5f, x[4]);

        float[] out = {-2f, 1.5f, 0f, 0.999f, Float.NaN, -0.99f};
        RgbImage back = ImageTransforms.fromModelOutput(out, 2, 1);
        // clamp((x+1)/2, 0, 1)·255, truncated: -2 → 0, 1.5 → 255, 0 → 127 (127.5 truncated), 0.999 → 254
        assertArrayEquals(new byte[] {0, 127, 0, (byte) 255, (byte) 254, 1}, back.rgb());
        assertFalse(back.get(0, 0, 2) != 0, "NaN maps to 0");
    }

    private static byte[] pngHeaderOnly(int w, int h) {
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes()).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        ByteBuffer out = ByteBuffer.allocate(8 + 4 + 17 + 4);
        out.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        out.putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
        return out.array();
    }
}
