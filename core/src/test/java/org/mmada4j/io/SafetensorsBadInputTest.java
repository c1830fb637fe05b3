package org.mmada4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmada4j.tensor.DType;

/** Each malformed file fails at open with a {@link CheckpointException} naming the file and the tensor or field. */
class SafetensorsBadInputTest {
    @TempDir
    Path dir;

    /** A file with the given header JSON (length prefix exact) followed by {@code dataBytes} zero bytes. */
    static byte[] raw(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).array();
    }

    /** Opens {@code bytes} written to a file and returns the message of the error it must raise. */
    private String failure(byte[] bytes) throws Exception {
        Path file = dir.resolve("bad.safetensors");
        Files.write(file, bytes);
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafetensorsFile.open(file).close());
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        assertEquals(file, e.file());
        return e.getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "'" + message + "' should mention " + p);
        }
    }

    private static final String TWO = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"I16\",\"shape\":[2,2],\"data_offsets\":[8,16]}}";

    @Test
    void theValidFileUsedBelowOpens() throws Exception {
        Path file = dir.resolve("ok.safetensors");
        Files.write(file, raw(TWO, 16));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(List.of("a", "b"), List.copyOf(f.names()));
        }
    }

    @Test
    void truncatedFile() throws Exception {
        byte[] full = raw(TWO, 16);
        assertMentions(failure(Arrays.copyOf(full, full.length - 3)), "tensor 'b'", "data_offsets [8, 16]", "truncated");
        assertMentions(failure(Arrays.copyOf(full, 5)), "5 bytes", "header length");
        assertMentions(failure(Arrays.copyOf(full, 20)), "header length", "larger than the file", "truncated");
    }

    @Test
    void headerLengthLargerThanTheFileOrTheCap() throws Exception {
        byte[] b = raw(TWO, 16);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, b.length);
        assertMentions(failure(b), "header length " + b.length, "larger than the file");
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);
        assertMentions(failure(b), "header length 18446744073709551615", "exceeds the limit");
    }

    @Test
    void invalidHeaderJson() throws Exception {
        assertMentions(failure(raw("{\"a\":{\"dtype\":\"F32\",", 0)), "invalid header JSON");
        assertMentions(failure(raw("{} {}", 0)), "invalid header JSON");
        assertMentions(failure(raw("[1, 2]", 0)), "header is not a JSON object");
        assertMentions(failure(raw("", 0)), "header is empty");
        byte[] notUtf8 = raw("{\"x\":1}", 0);
        notUtf8[10] = (byte) 0xC3; // a lead byte followed by a quote: malformed UTF-8
        assertMentions(failure(notUtf8), "not valid UTF-8");
        assertMentions(failure(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[4,8]}}", 8)), "invalid header JSON", "'a'");
    }

    @Test
    void overlappingOffsets() throws Exception {
        String h = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertMentions(failure(raw(h, 12)), "tensor 'b'", "data_offsets [4, 12]", "overlap tensor 'a'");
    }

    @Test
    void offsetsOutOfRange() throws Exception {
        String h = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}";
        assertMentions(failure(raw(h, 8)), "tensor 'a'", "data_offsets [8, 16]", "past the end of the data region (8 bytes");
        String backwards = "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}";
        assertMentions(failure(raw(backwards, 8)), "tensor 'a'", "data_offsets [8, 0]", "end before they begin");
        String huge = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,99999999999999999999]}}";
        assertMentions(failure(raw(huge, 8)), "tensor 'a'", "field 'data_offsets'", "non-negative 64-bit integer");
    }

    @Test
    void offsetsNotMatchingShapeTimesDtype() throws Exception {
        String h = "{\"a\":{\"dtype\":\"BF16\",\"shape\":[3,2],\"data_offsets\":[0,8]}}";
        assertMentions(failure(raw(h, 8)), "tensor 'a'", "hold 8 bytes", "[3, 2] x BF16 needs 12");
        String packed = "{\"a\":{\"dtype\":\"F4\",\"shape\":[3],\"data_offsets\":[0,2]}}";
        assertMentions(failure(raw(packed, 2)), "tensor 'a'", "F4", "does not fill whole bytes");
        String overflow = "{\"a\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}";
        assertMentions(failure(raw(overflow, 8)), "tensor 'a'", "overflows");
    }

    @Test
    void bytesBelongingToNoTensor() throws Exception {
        String gap = "{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[2,4]}}";
        assertMentions(failure(raw(gap, 4)), "tensor 'a'", "bytes [0, 2)", "no tensor");
        String trailing = "{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}";
        assertMentions(failure(raw(trailing, 5)), "data region has 5 bytes", "cover only 2", "'a'");
    }

    @Test
    void unknownDtype() throws Exception {
        String h = "{\"w\":{\"dtype\":\"F7_E9M9\",\"shape\":[1],\"data_offsets\":[0,1]}}";
        assertMentions(failure(raw(h, 1)), "tensor 'w'", "unknown dtype 'F7_E9M9'");
    }

    @Test
    void missingOrMistypedFields() throws Exception {
        assertMentions(failure(raw("{\"w\":{\"shape\":[1],\"data_offsets\":[0,1]}}", 1)), "tensor 'w'", "'dtype'");
        assertMentions(failure(raw("{\"w\":{\"dtype\":\"U8\",\"data_offsets\":[0,1]}}", 1)), "tensor 'w'", "'shape'");
        assertMentions(failure(raw("{\"w\":{\"dtype\":\"U8\",\"shape\":[1]}}", 1)), "tensor 'w'", "'data_offsets'");
        assertMentions(failure(raw("{\"w\":{\"dtype\":\"U8\",\"shape\":[-1],\"data_offsets\":[0,1]}}", 1)),
                "tensor 'w'", "field 'shape' holds -1");
        assertMentions(failure(raw("{\"w\":{\"dtype\":\"U8\",\"shape\":[1.5],\"data_offsets\":[0,1]}}", 1)),
                "tensor 'w'", "field 'shape' holds 1.5");
        assertMentions(failure(raw("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1,2]}}", 1)),
                "tensor 'w'", "'data_offsets' has 3 values, expected 2");
        assertMentions(failure(raw("{\"w\":7}", 0)), "tensor 'w'", "not a JSON object");
        assertMentions(failure(raw("{\"__metadata__\":{\"format\":1}}", 0)), "'__metadata__'", "'format'", "not a string");
    }

    @Test
    void whatTheReferenceAcceptsOpensToo() throws Exception {
        // Checked against safetensors 0.8: null metadata, unknown extra fields and trailing spaces are fine.
        Path file = dir.resolve("lenient.safetensors");
        Files.write(file, raw("{\"__metadata__\":null,\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4],"
                + "\"extra\":[1]}}    ", 4));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(Map.of(), f.metadata());
            assertEquals(List.of("a"), List.copyOf(f.names()));
        }
    }

    @Test
    void byteOrderMarkIsRejectedAsTheReferenceDoes() throws Exception {
        assertMentions(failure(raw("\uFEFF{}", 0)), "invalid header JSON");
    }

    @Test
    void missingTensorIsNamedWithTheFile() throws Exception {
        Path file = dir.resolve("ok.safetensors");
        SafetensorsWriter.write(file, List.of(TensorSpec.of("present", DType.F32, 1)), Map.of(), SafetensorsRoundTripTest.PATTERN);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            CheckpointException e = assertThrows(CheckpointException.class, () -> f.get("absent.weight"));
            assertEquals(file + ": no tensor 'absent.weight' in this file", e.getMessage());
            assertThrows(CheckpointException.class, () -> f.spec("absent.weight"));
        }
    }

    @Test
    void missingFileIsACheckpointException() {
        Path file = dir.resolve("nope.safetensors");
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafetensorsFile.open(file));
        assertMentions(e.getMessage(), file.toString(), "cannot map");
    }

    @Test
    void viewsDieWithTheFile() throws Exception {
        Path file = dir.resolve("ok.safetensors");
        Files.write(file, raw(TWO, 16));
        SafetensorsFile f = SafetensorsFile.open(file);
        var a = f.get("a");
        f.close();
        f.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> a.getFloat(0));
    }
}
