package org.mmada4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The training checkpoint's tensor files: a {@link ParameterSet} to and from safetensors (F32 or
 * BF16 on write; F32, BF16, F16 widened on read). The format: 8-byte little-endian header size, a
 * JSON header {@code {name: {dtype, shape, data_offsets}}}, then the data. Every size and offset is
 * validated before reading; errors name the file and the tensor.
 *
 * <p>Kept here (not in {@code io}) because training needs only this small, fully-in-memory case: its
 * master weights and moments are heap arrays.
 */
public final class CheckpointTensors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointTensors() {
    }

    /** Storage dtype of a written file. */
    public enum Precision { F32, BF16 }

    /** Streams {@code set} to {@code out} (the caller provides atomicity). */
    public static void write(ParameterSet set, Precision precision, OutputStream out) throws IOException {
        int bytesPer = precision == Precision.F32 ? 4 : 2;
        ObjectNode header = JSON.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (ParameterSet.Entry e : set.entries()) {
            ObjectNode t = header.putObject(e.name());
            t.put("dtype", precision.name());
            var shape = t.putArray("shape");
            for (long d : e.shape()) {
                shape.add(d);
            }
            long size = (long) e.values().length * bytesPer;
            t.putArray("data_offsets").add(offset).add(offset + size);
            offset += size;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded);
        head.put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        out.write(head.array());
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (ParameterSet.Entry e : set.entries()) {
            for (float f : e.values()) {
                if (buf.remaining() < 4) {
                    out.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                if (precision == Precision.F32) {
                    buf.putFloat(f);
                } else {
                    buf.putShort(org.mmada4j.tensor.Tensor.floatToBf16(f));
                }
            }
        }
        out.write(buf.array(), 0, buf.position());
    }

    /** Reads every tensor of a safetensors file as fp32, in file order. */
    public static ParameterSet read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            if (fileSize < 8) {
                throw new IOException(file + ": too short for a safetensors header (" + fileSize + " bytes)");
            }
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0, file);
            long headerSize = len.getLong(0);
            if (headerSize <= 0 || headerSize > Math.min(fileSize - 8, 100L << 20)) {
                throw new IOException(file + ": header size " + headerSize + " is invalid for a file of " + fileSize + " bytes");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerSize);
            readFully(ch, hb, 8, file);
            JsonNode header;
            try {
                header = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IOException(file + ": header is not valid JSON: " + e.getMessage(), e);
            }
            long dataStart = 8 + headerSize;
            ParameterSet set = new ParameterSet();
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!f.getKey().equals("__metadata__")) {
                    fields.add(f);
                }
            }
            fields.sort((a, b) -> Long.compare(a.getValue().path("data_offsets").path(0).asLong(),
                    b.getValue().path("data_offsets").path(0).asLong()));
            for (Map.Entry<String, JsonNode> f : fields) {
                set.add(f.getKey(), shapeOf(f.getValue(), file, f.getKey()),
                        readTensor(ch, f.getValue(), dataStart, fileSize, file, f.getKey()));
            }
            return set;
        }
    }

    private static long[] shapeOf(JsonNode t, Path file, String name) throws IOException {
        JsonNode s = t.get("shape");
        if (s == null || !s.isArray()) {
            throw new IOException(file + ": tensor " + name + " has no shape");
        }
        long[] shape = new long[s.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = s.get(i).asLong(-1);
            if (shape[i] < 0) {
                throw new IOException(file + ": tensor " + name + " has a negative dimension");
            }
        }
        return shape;
    }

    private static float[] readTensor(FileChannel ch, JsonNode t, long dataStart, long fileSize, Path file, String name)
            throws IOException {
        String dtype = t.path("dtype").asText("");
        int bytesPer = switch (dtype) {
            case "F32" -> 4;
            case "BF16", "F16" -> 2;
            default -> throw new IOException(file + ": tensor " + name + " has unsupported dtype '" + dtype + "'");
        };
        long n = 1;
        for (long d : shapeOf(t, file, name)) {
            n = Math.multiplyExact(n, d);
        }
        JsonNode off = t.get("data_offsets");
        if (off == null || off.size() != 2) {
            throw new IOException(file + ": tensor " + name + " has no data_offsets");
        }
        long begin = off.get(0).asLong();
        long end = off.get(1).asLong();
        if (begin < 0 || end < begin || end - begin != n * bytesPer || dataStart + end > fileSize) {
            throw new IOException(file + ": tensor " + name + " has data_offsets [" + begin + ", " + end + ") inconsistent with "
                    + n + " x " + dtype + " in a file of " + fileSize + " bytes");
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IOException(file + ": tensor " + name + " has too many elements for a training parameter");
        }
        ByteBuffer data = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, data, dataStart + begin, file);
        data.flip();
        float[] out = new float[(int) n];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (dtype) {
                case "F32" -> data.getFloat();
                case "BF16" -> org.mmada4j.tensor.Tensor.bf16ToFloat(data.getShort());
                default -> Float.float16ToFloat(data.getShort());
            };
        }
        return out;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) {
                throw new IOException(file + ": unexpected end of file at byte " + pos);
            }
            pos += r;
        }
    }

    /** Writes {@code set} to {@code file} in one go (used inside a checkpoint's temporary directory). */
    public static void write(ParameterSet set, Precision precision, Path file) throws IOException {
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            write(set, precision, out);
        }
    }
}
