package org.mmada4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmada4j.tensor.DType;
import org.mmada4j.tensor.Tensor;

/**
 * A file written by the reference library (resources/io/safetensors/make_reference.py: safetensors
 * 0.8 with torch) reads to the values it was given, and our writer reproduces it byte for byte
 * when given the same tensors in the same order.
 */
class SafetensorsInteropTest {
    @TempDir
    Path dir;

    private static Path reference() throws Exception {
        return Path.of(SafetensorsInteropTest.class.getResource("/io/safetensors/reference.safetensors").toURI());
    }

    private static long[] longs(MemorySegment s, DType dtype) {
        long[] out = new long[(int) (s.byteSize() / dtype.bytes())];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (dtype) {
                case I64 -> s.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i);
                case I32 -> s.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i);
                case I16 -> s.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i);
                case I8 -> s.get(ValueLayout.JAVA_BYTE, i);
                case U8, BOOL, F8_E4M3, F8_E5M2 -> s.get(ValueLayout.JAVA_BYTE, i) & 0xff;
                default -> throw new IllegalArgumentException(dtype.toString());
            };
        }
        return out;
    }

    @Test
    void referenceWrittenFileReadsToItsValues() throws Exception {
        try (SafetensorsFile f = SafetensorsFile.open(reference())) {
            assertEquals(Map.of("format", "pt", "writer", "safetensors 0.8"), f.metadata());
            assertEquals(14, f.names().size());
            assertArrayEquals(new float[] {-1.5f, -1f, -0.5f, 0f, 0.5f, 1f}, f.get("f32").toFloatArray());
            assertArrayEquals(new long[] {3, 2}, f.spec("f32").shape());
            assertArrayEquals(new float[] {-1.5f, -1f, -0.5f, 0f, 0.5f, 1f}, f.get("f16").toFloatArray());
            assertArrayEquals(new float[] {-1.5f, -1f, -0.5f, 0f, 0.5f, 1f, 1.5f, 2f}, f.get("bf16").toFloatArray());
            assertArrayEquals(new long[] {2, 2, 2}, f.spec("bf16").shape());
            MemorySegment f64 = f.bytes("f64");
            for (int i = 0; i < 6; i++) {
                assertEquals((i - 3) * 0.5, f64.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i));
            }
            // fp8 encodings of -1.5 .. 1.0 as torch produced them.
            assertArrayEquals(new long[] {188, 184, 176, 0, 48, 56}, longs(f.bytes("f8_e4m3"), DType.F8_E4M3));
            assertArrayEquals(new long[] {190, 188, 184, 0, 56, 60}, longs(f.bytes("f8_e5m2"), DType.F8_E5M2));
            assertArrayEquals(new long[] {-3, -2, -1, 0}, longs(f.bytes("i64"), DType.I64));
            assertArrayEquals(new long[] {-3, -2, -1, 0}, longs(f.bytes("i32"), DType.I32));
            assertArrayEquals(new long[] {-3, -2, -1, 0}, longs(f.bytes("i16"), DType.I16));
            assertArrayEquals(new long[] {-3, -2, -1, 0}, longs(f.bytes("i8"), DType.I8));
            assertArrayEquals(new long[] {0, 1, 2, 3}, longs(f.bytes("u8"), DType.U8));
            assertArrayEquals(new long[] {1, 0, 0, 1, 0, 0}, longs(f.bytes("bool"), DType.BOOL));
            assertEquals(DType.BOOL, f.spec("bool").dtype());
            assertEquals(0, f.spec("scalar").rank());
            assertEquals(2.5f, f.get("scalar").getFloat(0));
            assertArrayEquals(new long[] {0, 3}, f.get("empty").shape());
        }
    }

    @Test
    void ourWriterReproducesTheReferenceFileByteForByte() throws Exception {
        Path ours = dir.resolve("ours.safetensors");
        try (SafetensorsFile f = SafetensorsFile.open(reference())) {
            List<TensorSpec> specs = new ArrayList<>();
            for (String name : f.names()) {
                specs.add(f.spec(name));
            }
            SafetensorsWriter.write(ours, specs, f.metadata(),
                    (spec, offset, chunk) -> MemorySegment.copy(f.bytes(spec.name()), offset, chunk, 0, chunk.byteSize()));
        }
        assertArrayEquals(Files.readAllBytes(reference()), Files.readAllBytes(ours));
    }

    @Test
    void heapTensorsOfEveryByteAddressableDtypeRoundTrip() throws Exception {
        Path file = dir.resolve("copy.safetensors");
        try (SafetensorsFile f = SafetensorsFile.open(reference())) {
            Map<String, Tensor> copies = new java.util.TreeMap<>();
            for (String name : f.names()) {
                Tensor t = f.get(name);
                byte[] heap = t.data().toArray(ValueLayout.JAVA_BYTE);
                copies.put(name, new Tensor(t.dtype(), t.shape(), MemorySegment.ofArray(heap)));
            }
            SafetensorsWriter.write(file, copies, f.metadata());
            try (SafetensorsFile back = SafetensorsFile.open(file)) {
                assertEquals(new java.util.TreeSet<>(f.names()), new java.util.TreeSet<>(back.names()));
                for (String name : f.names()) {
                    assertEquals(f.spec(name), back.spec(name));
                    assertEquals(-1L, f.bytes(name).mismatch(back.bytes(name)), name);
                }
            }
        }
    }
}
