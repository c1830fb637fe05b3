package org.mmada4j.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mmada4j.io.Npy;
import org.mmada4j.io.NpyArray;
import picocli.CommandLine;

/**
 * {@code debug vq-encode / vq-decode} on every golden directory (a golden directory is itself a MAGVIT
 * directory: magvit.safetensors + magvit_config.json), and {@code image encode / decode} with the
 * bundled tiny MAGVIT, including their bad-input errors.
 */
class VqCommandsTest {
    static final double LATENT_ATOL = 1e-4;
    static final double PIXEL_ATOL = 5e-5;
    static final Path TINY = Path.of("..", "models", "magvit-tiny").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    static List<Path> goldenDirs() {
        return ForwardDebugCommandTest.goldenDirs();
    }

    @Tag("parity")
    @ParameterizedTest
    @MethodSource("goldenDirs")
    void debugEncodeMatchesTheReference(Path g) throws IOException {
        Path codes = tmp.resolve("codes.npy");
        Path latent = tmp.resolve("z.npy");
        assertEquals(0, run("debug", "vq-encode", "--vq", g.toString(), "--input", g.resolve("magvit_input.npy").toString(),
                "--output", codes.toString(), "--latent", latent.toString()));
        NpyArray expected = Npy.read(g.resolve("magvit_codes.npy"));
        NpyArray got = Npy.read(codes);
        assertArrayEquals(expected.shape(), got.shape());
        assertArrayEquals(expected.longs(), got.longs());
        NpyArray z = Npy.read(latent);
        NpyArray zRef = Npy.read(g.resolve("magvit_encoder_out.npy"));
        assertArrayEquals(zRef.shape(), z.shape());
        assertClose(zRef.floats(), z.floats(), LATENT_ATOL);
    }

    @Tag("parity")
    @ParameterizedTest
    @MethodSource("goldenDirs")
    void debugDecodeMatchesTheReference(Path g) throws IOException {
        for (String[] pair : new String[][] {{"magvit_codes.npy", "magvit_decoded.npy"},
                {"magvit_fixed_codes.npy", "magvit_fixed_decoded.npy"}, {"t2i_gen_codes.npy", "t2i_image.npy"}}) {
            Path px = tmp.resolve("px.npy");
            assertEquals(0, run("debug", "vq-decode", "--vq", g.toString(), "--input", g.resolve(pair[0]).toString(),
                    "--output", px.toString()));
            NpyArray expected = Npy.read(g.resolve(pair[1]));
            NpyArray got = Npy.read(px);
            assertArrayEquals(expected.shape(), got.shape(), pair[1]);
            assertClose(expected.floats(), got.floats(), PIXEL_ATOL);
        }
    }

    /** Rectangular batch through the debug commands: resources/vq/second (see MagvitSecondConfigTest). */
    @Tag("parity")
    @Test
    void debugCommandsOnARectangularSecondConfiguration() throws IOException {
        Path dir = Path.of("..", "core", "src", "test", "resources", "vq", "second").toAbsolutePath().normalize();
        Path codes = tmp.resolve("codes.npy");
        Path latent = tmp.resolve("z.npy");
        assertEquals(0, run("debug", "vq-encode", "--vq", dir.toString(), "--input", dir.resolve("input.npy").toString(),
                "--output", codes.toString(), "--latent", latent.toString()));
        NpyArray expected = Npy.read(dir.resolve("codes.npy")); // [B, gh, gw]
        NpyArray got = Npy.read(codes);                          // [B, gh*gw]
        assertArrayEquals(new long[] {expected.shape()[0], expected.shape()[1] * expected.shape()[2]}, got.shape());
        assertArrayEquals(expected.longs(), got.longs());
        assertClose(Npy.read(dir.resolve("latent.npy")).floats(), Npy.read(latent).floats(), LATENT_ATOL);
        Path px = tmp.resolve("px.npy");
        assertEquals(0, run("debug", "vq-decode", "--vq", dir.toString(), "--input", dir.resolve("codes.npy").toString(),
                "--output", px.toString()));
        NpyArray ref = Npy.read(dir.resolve("decoded.npy"));
        assertArrayEquals(ref.shape(), Npy.read(px).shape());
        assertClose(ref.floats(), Npy.read(px).floats(), PIXEL_ATOL);
    }

    @Test
    void imageEncodeDecodeWithTheBundledModel() throws IOException {
        Path png = tmp.resolve("in.png");
        BufferedImage img = new BufferedImage(100, 70, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 70; y++) {
            for (int x = 0; x < 100; x++) {
                img.setRGB(x, y, ((x * 2) << 16) | ((y * 3) << 8) | ((x + y) & 0xff));
            }
        }
        ImageIO.write(img, "png", png.toFile());
        Path codes = tmp.resolve("codes.npy");
        Path out = tmp.resolve("out.png");
        // default --vq: models/magvit-tiny (resolved from the working directory's parent chain)
        assertEquals(0, run("image", "encode", "--vq", TINY.toString(), png.toString(), "-o", codes.toString()));
        NpyArray c = Npy.read(codes);
        int res = 64; // magvit-tiny's configured resolution (config.json encoder.resolution)
        assertArrayEquals(new long[] {1, (res / 16) * (res / 16)}, c.shape());
        assertEquals(0, run("image", "decode", "--vq", TINY.toString(), codes.toString(), "-o", out.toString()));
        BufferedImage back = ImageIO.read(out.toFile());
        assertEquals(res, back.getWidth());
        assertEquals(res, back.getHeight());

        // No resize: a 32x48 crop gives a rectangular 2x3 grid, written as [1, 2, 3], decoded to 48x32.
        BufferedImage rect = img.getSubimage(0, 0, 48, 32);
        Path rectPng = tmp.resolve("rect.png");
        ImageIO.write(rect, "png", rectPng.toFile());
        assertEquals(0, run("image", "encode", "--vq", TINY.toString(), "--resize", "none", rectPng.toString(), "-o",
                codes.toString()));
        assertArrayEquals(new long[] {1, 2, 3}, Npy.read(codes).shape());
        assertEquals(0, run("image", "decode", "--vq", TINY.toString(), codes.toString(), "-o", out.toString()));
        BufferedImage rectBack = ImageIO.read(out.toFile());
        assertEquals(48, rectBack.getWidth());
        assertEquals(32, rectBack.getHeight());
    }

    @Test
    void badInputsFailWithClearMessages() throws IOException {
        Path codes = tmp.resolve("codes.npy");
        Path px = tmp.resolve("px.npy");
        // wrong channel count
        Path two = tmp.resolve("two.npy");
        Npy.write(two, NpyArray.ofFloats(new float[2 * 32 * 32], 1, 2, 32, 32));
        assertFails("image has 2 channels, the model takes 3", "debug", "vq-encode", "--vq", TINY.toString(),
                "--input", two.toString(), "--output", codes.toString());
        // not divisible by the downsampling factor
        Path odd = tmp.resolve("odd.npy");
        Npy.write(odd, NpyArray.ofFloats(new float[3 * 24 * 32], 1, 3, 24, 32));
        assertFails("not a positive multiple of the downsampling factor 16", "debug", "vq-encode", "--vq",
                TINY.toString(), "--input", odd.toString(), "--output", codes.toString());
        // code out of range (tiny: 6 bits, codes in [0, 64))
        Npy.write(codes, NpyArray.ofLongs(new long[] {0, 1, 64, 3}, 1, 4));
        assertFails("code 64 at position 2 is outside the codebook [0, 64)", "debug", "vq-decode", "--vq",
                TINY.toString(), "--input", codes.toString(), "--output", px.toString());
        // non-square code count without a grid, then with a grid that does not fit, then one that does
        Npy.write(codes, NpyArray.ofLongs(new long[] {0, 1, 2, 3, 4, 5}, 1, 6));
        assertFails("6 codes do not form a square grid", "debug", "vq-decode", "--vq", TINY.toString(),
                "--input", codes.toString(), "--output", px.toString());
        assertFails("6 codes per image do not fit a 4x2 grid", "debug", "vq-decode", "--vq", TINY.toString(),
                "--input", codes.toString(), "--output", px.toString(), "--grid-height", "4", "--grid-width", "2");
        assertEquals(0, run("debug", "vq-decode", "--vq", TINY.toString(), "--input", codes.toString(),
                "--output", px.toString(), "--grid-height", "2", "--grid-width", "3"));
        assertArrayEquals(new long[] {1, 3, 32, 48}, Npy.read(px).shape());
        // undecodable image; nothing written
        Path junk = tmp.resolve("junk.png");
        Files.writeString(junk, "not an image");
        Path out = tmp.resolve("never.npy");
        assertFails("junk.png", "image", "encode", "--vq", TINY.toString(), junk.toString(), "-o", out.toString());
        assertTrue(!Files.exists(out));
    }

    private static void assertClose(float[] e, float[] a, double atol) {
        assertEquals(e.length, a.length);
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            worst = Math.max(worst, Math.abs(e[i] - a[i]));
        }
        assertTrue(worst <= atol, "max |diff| " + worst + " > " + atol);
    }

    private void assertFails(String fragment, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        assertTrue(rc != 0, "expected failure for " + String.join(" ", args));
        assertTrue(err.toString().contains(fragment), "stderr should contain '" + fragment + "':\n" + err);
    }

    private static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }
}
