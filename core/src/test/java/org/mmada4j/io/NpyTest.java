package org.mmada4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npy files written by numpy read to the right numbers; ours read back; bad files fail naming the file. */
class NpyTest {
    private static final long SEED = 0x0DDBA11L;

    @TempDir
    Path dir;

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(NpyTest.class.getResource("/io/npy/" + name).toURI());
    }

    @Test
    void readsEveryDtypeNumpyWrites() throws Exception {
        // The fixtures are v = arange(6).reshape(2, 3) - 2 in each dtype (see resources/io/npy).
        assertArrayEquals(new float[] {-1f, -0.5f, 0f, 0.5f, 1f, 1.5f}, Npy.read(fixture("f4.npy")).floats());
        assertArrayEquals(new float[] {-2 / 3f, -1 / 3f, 0f, 1 / 3f, 2 / 3f, 1f}, Npy.read(fixture("f8.npy")).floats());
        assertArrayEquals(new double[] {-2 / 3.0, -1 / 3.0, 0, 1 / 3.0, 2 / 3.0, 1}, Npy.readDoubles(fixture("f8.npy")));
        long t = 1_000_000_000_000L;
        assertArrayEquals(new long[] {-2 * t, -t, 0, t, 2 * t, 3 * t}, Npy.read(fixture("i8.npy")).longs());
        assertArrayEquals(new long[] {-2000, -1000, 0, 1000, 2000, 3000}, Npy.read(fixture("i4.npy")).longs());
        assertArrayEquals(new long[] {248, 249, 250, 251, 252, 253}, Npy.read(fixture("u1.npy")).longs());
        assertArrayEquals(new long[] {-80, -40, 0, 40, 80, 120}, Npy.read(fixture("i1.npy")).longs());
        assertArrayEquals(new long[] {1, 0, 1, 0, 1, 0}, Npy.read(fixture("b1.npy")).longs());
        assertArrayEquals(new long[] {2, 3}, Npy.read(fixture("i4.npy")).shape());
        NpyArray scalar = Npy.read(fixture("scalar.npy"));
        assertEquals(0, scalar.rank());
        assertArrayEquals(new float[] {3.25f}, scalar.floats());
        assertArrayEquals(new long[] {0, 4}, Npy.read(fixture("empty.npy")).shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4}, Npy.read(fixture("v2.npy")).floats());
        assertArrayEquals(new long[] {5}, Npy.read(fixture("v2.npy")).shape());
    }

    @Test
    void writeThenReadRoundTrips() throws Exception {
        Path f = dir.resolve("a.npy");
        float[] values = {1.5f, Float.NaN, -0f, Float.MAX_VALUE, 1e-45f, -7f};
        Npy.write(f, NpyArray.ofFloats(values, 3, 1, 2));
        NpyArray back = Npy.read(f);
        assertArrayEquals(new long[] {3, 1, 2}, back.shape());
        assertArrayEquals(values, back.floats());
        assertEquals(0, (Files.size(f) - 6 * 4) % 64, "numpy aligns the preamble to 64 bytes");
        Npy.write(f, NpyArray.ofLongs(new long[] {Long.MIN_VALUE, 42}, 2));
        assertArrayEquals(new long[] {Long.MIN_VALUE, 42}, Npy.read(f).longs());
        Npy.write(f, NpyArray.ofLongs(new long[0], 0, 3));
        assertArrayEquals(new long[] {0, 3}, Npy.read(f).shape());
    }

    private static String failure(Path f) {
        IOException e = assertThrows(IOException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        return e.getMessage();
    }

    private Path write(byte[] bytes) throws IOException {
        Path f = dir.resolve("bad.npy");
        Files.write(f, bytes);
        return f;
    }

    @Test
    void badFilesFailNamingTheFileAndField() throws Exception {
        byte[] valid = Files.readAllBytes(fixture("f4.npy"));
        assertTrue(failure(write(Arrays.copyOf(valid, valid.length - 1))).contains("data has 23 bytes, field 'shape'"));
        assertTrue(failure(write(Arrays.copyOf(valid, 7))).contains("too short"));
        assertTrue(failure(write(Arrays.copyOf(valid, 40))).contains("header length 118 exceeds the file"));
        byte[] magic = valid.clone();
        magic[1] = 'X';
        assertTrue(failure(write(magic)).contains("bad magic"));
        byte[] version = valid.clone();
        version[6] = 9;
        assertTrue(failure(write(version)).contains("unsupported .npy version 9"));
        assertTrue(failure(fixture("fortran.npy")).contains("'fortran_order'"));
        assertTrue(failure(fixture("f2.npy")).contains("field 'descr' has unsupported dtype '<f2'"));
        assertTrue(failure(write(replace(valid, "(2, 3)", "(2,-3)"))).contains("field 'shape' has bad dimension '-3'"));
        assertTrue(failure(write(replace(valid, "'shape'", "'shapf'"))).contains("no valid 'shape' field"));
        assertTrue(failure(write(replace(valid, "(2, 3)", "(99999999999999999, 999)"))).contains("'shape' overflows"));
        IOException e = assertThrows(IOException.class, () -> Npy.readDoubles(fixture("f4.npy")));
        assertTrue(e.getMessage().startsWith(fixture("f4.npy") + ": field 'descr' is '<f4'"), e.getMessage());
    }

    /** Replaces {@code from} by {@code to} in the header, keeping the header length (padding absorbs it). */
    private static byte[] replace(byte[] npy, String from, String to) {
        String header = new String(npy, 10, npy.length - 10, StandardCharsets.ISO_8859_1);
        int at = header.indexOf(from);
        String pad = " ".repeat(Math.max(0, from.length() - to.length()));
        String patched = header.substring(0, at) + to + pad + header.substring(at + from.length() + Math.max(0, to.length() - from.length()));
        byte[] out = npy.clone();
        System.arraycopy(patched.getBytes(StandardCharsets.ISO_8859_1), 0, out, 10, npy.length - 10);
        return out;
    }

    @Test
    void mutatedFilesReadCorrectlyOrFailNamingTheFile() throws Exception {
        byte[][] valid = Stream.of("f4.npy", "f8.npy", "i8.npy", "i4.npy", "u1.npy", "b1.npy", "scalar.npy", "v2.npy")
                .map(n -> {
                    try {
                        return Files.readAllBytes(fixture(n));
                    } catch (IOException | URISyntaxException e) {
                        throw new AssertionError(e);
                    }
                }).toArray(byte[][]::new);
        Path f = dir.resolve("fuzz.npy");
        SplittableRandom rnd = new SplittableRandom(SEED);
        int read = 0;
        int rejected = 0;
        for (int it = 0; it < 3000; it++) {
            byte[] base = valid[rnd.nextInt(valid.length)];
            int headerEnd = base[6] == 1 ? 10 + (ByteBuffer.wrap(base).order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xffff)
                    : 12 + ByteBuffer.wrap(base).order(ByteOrder.LITTLE_ENDIAN).getInt(8);
            Files.write(f, mutate(base, headerEnd, rnd));
            try {
                NpyArray a = Npy.read(f);
                long n = 1;
                for (long d : a.shape()) {
                    n *= d;
                }
                assertEquals(n, a.size(), "iteration " + it);
                read++;
            } catch (IOException e) {
                assertTrue(e.getMessage().startsWith(f + ": "), "iteration " + it + ": " + e.getMessage());
                rejected++;
            } catch (Throwable t) {
                throw new AssertionError("seed " + SEED + " iteration " + it + ": unexpected " + t, t);
            }
        }
        assertTrue(read > 100 && rejected > 1000, "read " + read + ", rejected " + rejected);
    }

    /** Header flips, header-length changes, number rewrites in the dict, truncation, appended bytes. */
    private static byte[] mutate(byte[] valid, int headerEnd, SplittableRandom rnd) {
        byte[] b = valid.clone();
        int lengthField = 8;
        switch (rnd.nextInt(6)) {
            case 0 -> {
                for (int i = rnd.nextInt(1, 4); i > 0; i--) {
                    b[rnd.nextInt(0, headerEnd)] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 1 -> b[rnd.nextInt(10, headerEnd)] = (byte) "{}()[],:'0123456789- TrueFals<>|fi".charAt(rnd.nextInt(34));
            case 2 -> { // the header length, near or far
                int delta = rnd.nextBoolean() ? rnd.nextInt(-3, 4) : rnd.nextInt();
                ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                if (b[6] == 1) {
                    bb.putShort(lengthField, (short) (bb.getShort(lengthField) + delta));
                } else {
                    bb.putInt(lengthField, bb.getInt(lengthField) + delta);
                }
            }
            case 3 -> { // a digit of the shape
                String h = new String(b, 0, headerEnd, StandardCharsets.ISO_8859_1);
                int at = h.indexOf("'shape'");
                for (int i = h.indexOf('(', at) + 1; at >= 0 && i < h.length() && h.charAt(i) != ')'; i++) {
                    if (Character.isDigit(h.charAt(i)) && rnd.nextInt(3) == 0) {
                        b[i] = (byte) ('0' + rnd.nextInt(10));
                    }
                }
            }
            case 4 -> b = Arrays.copyOf(b, rnd.nextInt(b.length));
            default -> b = Arrays.copyOf(b, b.length + rnd.nextInt(1, 16));
        }
        return b;
    }
}
