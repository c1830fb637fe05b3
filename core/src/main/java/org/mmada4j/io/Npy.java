package org.mmada4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format 1.0/2.0/3.0, little-endian, C order): the
 * fixture format of the golden sets and the debugging format of {@code mmada4j debug}.
 *
 * <p>Read: {@code <f4}, {@code <f8} (narrowed to fp32), {@code <i8}, {@code <i4}, {@code |b1},
 * {@code |u1}, {@code |i1} (widened to int64). Write: fp32 and int64. Writes are atomic.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    public static NpyArray read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    static NpyArray parse(byte[] bytes) {
        if (bytes.length < 10) {
            throw new IllegalArgumentException("too short for a .npy file (" + bytes.length + " bytes)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new IllegalArgumentException("not a .npy file (bad magic)");
            }
        }
        int major = bytes[6];
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = bb.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            headerLen = bb.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw new IllegalArgumentException("unsupported .npy version " + major);
        }
        if (headerStart + headerLen > bytes.length) {
            throw new IllegalArgumentException("header length " + headerLen + " exceeds file size " + bytes.length);
        }
        String header = new String(bytes, headerStart, (int) headerLen, StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, "descr");
        if ("True".equals(group(FORTRAN, header, "fortran_order"))) {
            throw new IllegalArgumentException("fortran_order arrays are not supported");
        }
        List<Long> dims = new ArrayList<>();
        for (String part : group(SHAPE, header, "shape").split(",")) {
            String p = part.trim();
            if (!p.isEmpty()) {
                long d = Long.parseLong(p);
                if (d < 0) {
                    throw new IllegalArgumentException("negative dimension in shape");
                }
                dims.add(d);
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        int elem = switch (descr) {
            case "<f4", "<i4" -> 4;
            case "<f8", "<i8" -> 8;
            case "|b1", "|u1", "|i1" -> 1;
            default -> throw new IllegalArgumentException("unsupported dtype '" + descr + "'");
        };
        long dataStart = headerStart + headerLen;
        if (dataStart + n * elem != bytes.length) {
            throw new IllegalArgumentException("data has " + (bytes.length - dataStart) + " bytes, shape needs " + n * elem);
        }
        int count = Math.toIntExact(n);
        bb.position((int) dataStart);
        switch (descr) {
            case "<f4": {
                float[] f = new float[count];
                bb.asFloatBuffer().get(f);
                return NpyArray.ofFloats(f, shape);
            }
            case "<f8": {
                float[] f = new float[count];
                for (int i = 0; i < count; i++) {
                    f[i] = (float) bb.getDouble((int) dataStart + 8 * i);
                }
                return NpyArray.ofFloats(f, shape);
            }
            case "<i8": {
                long[] l = new long[count];
                bb.asLongBuffer().get(l);
                return NpyArray.ofLongs(l, shape);
            }
            case "<i4": {
                long[] l = new long[count];
                for (int i = 0; i < count; i++) {
                    l[i] = bb.getInt((int) dataStart + 4 * i);
                }
                return NpyArray.ofLongs(l, shape);
            }
            default: {
                long[] l = new long[count];
                for (int i = 0; i < count; i++) {
                    byte b = bytes[(int) dataStart + i];
                    l[i] = descr.equals("|i1") ? b : (b & 0xff);
                }
                return NpyArray.ofLongs(l, shape);
            }
        }
    }

    /** Reads a float64 array at full precision (for fixtures whose values need it). */
    public static double[] readDoubles(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String header = new String(bytes, 10, Math.min(bytes.length - 10, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xffff), StandardCharsets.ISO_8859_1);
        if (!"<f8".equals(group(DESCR, header, "descr"))) {
            throw new IOException(file + ": expected dtype <f8");
        }
        int start = 10 + (ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xffff);
        int n = (bytes.length - start) / 8;
        double[] out = new double[n];
        ByteBuffer.wrap(bytes, start, n * 8).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
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
        int unpadded = 10 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
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

    private static String group(Pattern p, String header, String field) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IllegalArgumentException("header has no '" + field + "' field");
        }
        return m.group(1);
    }
}
