package org.mmada4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format 1.0/2.0/3.0, little-endian, C order): the
 * fixture format of the golden sets and the debugging format of {@code mmada4j debug}.
 *
 * <p>Read: {@code <f4}, {@code <f8} (narrowed to fp32; {@link #readDoubles} keeps full
 * precision), {@code <i8}, {@code <i4}, {@code |b1}, {@code |u1}, {@code |i1} (widened to int64).
 * Write: fp32 and int64, atomically. The header is validated before any data is read (magic,
 * version, header length, {@code descr}, {@code fortran_order}, {@code shape}, data size exactly
 * {@code product(shape) * itemsize}); every failure is an {@link IOException} whose message starts
 * with the file and names the field at fault.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final Pattern DIM = Pattern.compile("\\d{1,18}");

    /** The validated header: element type, shape and where the {@code count} elements start. */
    private record Header(String descr, long[] shape, int count, int dataStart) {
    }

    private Npy() {
    }

    public static NpyArray read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Header h = header(file, bytes);
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int n = h.count();
        int at = h.dataStart();
        return switch (h.descr()) {
            case "<f4" -> {
                float[] f = new float[n];
                bb.position(at).slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
                yield NpyArray.ofFloats(f, h.shape());
            }
            case "<f8" -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = (float) bb.getDouble(at + 8 * i);
                }
                yield NpyArray.ofFloats(f, h.shape());
            }
            case "<i8" -> {
                long[] l = new long[n];
                bb.position(at).slice().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(l);
                yield NpyArray.ofLongs(l, h.shape());
            }
            case "<i4" -> {
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    l[i] = bb.getInt(at + 4 * i);
                }
                yield NpyArray.ofLongs(l, h.shape());
            }
            default -> {
                boolean signed = h.descr().equals("|i1");
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    byte b = bytes[at + i];
                    l[i] = signed ? b : (b & 0xff);
                }
                yield NpyArray.ofLongs(l, h.shape());
            }
        };
    }

    /** Reads a {@code <f8} array at full precision (for fixtures whose values need it), flattened. */
    public static double[] readDoubles(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Header h = header(file, bytes);
        if (!h.descr().equals("<f8")) {
            throw new IOException(file + ": field 'descr' is '" + h.descr() + "', expected '<f8'");
        }
        double[] out = new double[h.count()];
        ByteBuffer.wrap(bytes, h.dataStart(), 8 * h.count()).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
        return out;
    }

    public static void write(Path file, NpyArray array) throws IOException {
        String descr = array.isFloat() ? "<f4" : "<i8";
        int elem = array.isFloat() ? 4 : 8;
        StringBuilder shape = new StringBuilder();
        for (long d : array.shape()) {
            shape.append(d).append(", ");
        }
        if (array.rank() > 1) {
            shape.setLength(shape.length() - 1);
        }
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shape.toString().trim() + "), }";
        // numpy pads the whole preamble to a multiple of 64 bytes and ends the header with '\n'.
        int unpadded = 10 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        long total = 10L + header.length() + (long) array.size() * elem;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IOException(file + ": " + total + " bytes do not fit one .npy buffer (limit 2 GiB)");
        }
        ByteBuffer bb = ByteBuffer.allocate(10 + header.length() + array.size() * elem).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        bb.put(header.getBytes(StandardCharsets.ISO_8859_1));
        if (array.isFloat()) {
            bb.asFloatBuffer().put(array.floats());
        } else {
            bb.asLongBuffer().put(array.longs());
        }
        AtomicFiles.write(file, bb.array());
    }

    /** Parses and validates the header of {@code bytes}; {@code file} names the file in errors. */
    private static Header header(Path file, byte[] bytes) throws IOException {
        if (bytes.length < 10) {
            throw new IOException(file + ": too short for a .npy file (" + bytes.length + " bytes)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new IOException(file + ": not a .npy file (bad magic)");
            }
        }
        int major = bytes[6] & 0xff;
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = bb.getShort(8) & 0xffff;
            headerStart = 10;
        } else if ((major == 2 || major == 3) && bytes.length >= 12) {
            headerLen = bb.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw new IOException(file + ": unsupported .npy version " + major + " (or file too short for it)");
        }
        if (headerStart + headerLen > bytes.length) {
            throw new IOException(file + ": header length " + headerLen + " exceeds the file (" + bytes.length + " bytes)");
        }
        String header = new String(bytes, headerStart, (int) headerLen, StandardCharsets.ISO_8859_1);
        String descr = field(file, DESCR, header, "descr");
        if ("True".equals(field(file, FORTRAN, header, "fortran_order"))) {
            throw new IOException(file + ": field 'fortran_order' is True; only C-order arrays are supported");
        }
        int elem = switch (descr) {
            case "<f4", "<i4" -> 4;
            case "<f8", "<i8" -> 8;
            case "|b1", "|u1", "|i1" -> 1;
            default -> throw new IOException(file + ": field 'descr' has unsupported dtype '" + descr + "'");
        };
        String[] parts = field(file, SHAPE, header, "shape").split(",", -1);
        long[] shape = new long[parts.length];
        int rank = 0;
        long count = 1;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.isEmpty() && i == parts.length - 1 && (i > 0 || parts.length == 1)) {
                continue; // "(3,)" and "()" end with nothing after the last comma
            }
            if (!DIM.matcher(p).matches()) {
                throw new IOException(file + ": field 'shape' has bad dimension '" + p + "'");
            }
            shape[rank] = Long.parseLong(p);
            count = multiply(file, count, shape[rank]);
            rank++;
        }
        long dataStart = headerStart + headerLen;
        long dataBytes = multiply(file, count, elem);
        if (dataStart + dataBytes != bytes.length) {
            throw new IOException(file + ": data has " + (bytes.length - dataStart) + " bytes, field 'shape' with dtype '"
                    + descr + "' needs " + dataBytes);
        }
        return new Header(descr, Arrays.copyOf(shape, rank), (int) count, (int) dataStart);
    }

    private static long multiply(Path file, long a, long b) throws IOException {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new IOException(file + ": field 'shape' overflows 64 bits");
        }
    }

    private static String field(Path file, Pattern p, String header, String field) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException(file + ": header has no valid '" + field + "' field");
        }
        return m.group(1);
    }
}
