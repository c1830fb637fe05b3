package org.mmada4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mmada4j.tensor.DType;
import org.mmada4j.tensor.Tensor;

/** Writer then reader: bytes, dtypes, shapes, metadata and layout survive exactly. */
class SafetensorsRoundTripTest {
    @TempDir
    Path dir;

    /** Deterministic bytes of tensor {@code spec} at {@code offset}: a function of name and position. */
    static final TensorFiller PATTERN = (spec, offset, chunk) -> {
        for (long i = 0; i < chunk.byteSize(); i++) {
            chunk.set(ValueLayout.JAVA_BYTE, i, expected(spec.name(), offset + i));
        }
    };

    static byte expected(String name, long position) {
        long h = name.hashCode() * 0x9E3779B97F4A7C15L + position * 0xBF58476D1CE4E5B9L;
        return (byte) (h ^ (h >>> 29) ^ (h >>> 47));
    }

    static void assertPattern(String name, MemorySegment bytes) {
        for (long i = 0; i < bytes.byteSize(); i++) {
            if (bytes.get(ValueLayout.JAVA_BYTE, i) != expected(name, i)) {
                throw new AssertionError(name + ": byte " + i + " differs");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyDtypeRoundTrips(DType dtype) throws Exception {
        Path file = dir.resolve("t.safetensors");
        // 24 elements fill whole bytes for every dtype (F6: 18 bytes, F4: 12); a scalar and an empty one too.
        List<TensorSpec> specs = List.of(TensorSpec.of("a", dtype, 3, 8), TensorSpec.of("empty", dtype, 0, 5));
        SafetensorsWriter.write(file, specs, Map.of("format", "pt"), PATTERN);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(List.of("a", "empty"), new ArrayList<>(f.names()));
            assertEquals(specs.get(0), f.spec("a"));
            assertEquals(dtype.byteSize(24), f.bytes("a").byteSize());
            assertPattern("a", f.bytes("a"));
            assertEquals(0, f.bytes("empty").byteSize());
            assertEquals(Map.of("format", "pt"), f.metadata());
            assertTrue(f.bytes("a").isReadOnly());
            if (dtype.isByteAddressable()) {
                Tensor t = f.get("a");
                assertEquals(dtype, t.dtype());
                assertArrayEquals(new long[] {3, 8}, t.shape());
                assertEquals(-1L, t.data().mismatch(f.bytes("a")));
            } else {
                CheckpointException e = assertThrows(CheckpointException.class, () -> f.get("a"));
                assertTrue(e.getMessage().contains("'a'") && e.getMessage().contains(dtype.name()), e.getMessage());
            }
        }
    }

    @Test
    void floatTensorsRoundTripByValueThroughTheMapConvenience() throws Exception {
        Path file = dir.resolve("m.safetensors");
        float[] w = {1.5f, -2.25f, 3e-8f, Float.NaN, Float.NEGATIVE_INFINITY, 0f};
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("z.weight", Tensor.ofFloats(w, 2, 3));
        tensors.put("a.bias", Tensor.ofFloats(new float[] {7f}, 1));
        SafetensorsWriter.write(file, tensors);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(List.of("a.bias", "z.weight"), new ArrayList<>(f.names()), "name order");
            assertArrayEquals(w, f.get("z.weight").toFloatArray());
            assertEquals(7f, f.get("a.bias").getFloat(0));
            assertEquals(Map.of(), f.metadata());
        }
    }

    @Test
    void headerIsPaddedDeterministicAndReadableByHand() throws Exception {
        Path a = dir.resolve("a.safetensors");
        Path b = dir.resolve("b.safetensors");
        List<TensorSpec> specs = List.of(TensorSpec.of("x", DType.BF16, 3), TensorSpec.of("y", DType.I64, 1));
        SafetensorsWriter.write(a, specs, Map.of("k2", "v", "k1", "w"), PATTERN);
        SafetensorsWriter.write(b, specs, Map.of("k1", "w", "k2", "v"), PATTERN);
        byte[] bytes = Files.readAllBytes(a);
        assertArrayEquals(bytes, Files.readAllBytes(b), "same input, same bytes");
        long n = MemorySegment.ofArray(bytes).get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        assertEquals(0, n % 8, "header length multiple of 8");
        assertEquals(8 + n + 6 + 8, bytes.length);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertEquals("{\"__metadata__\":{\"k1\":\"w\",\"k2\":\"v\"},"
                + "\"x\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                + "\"y\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[6,14]}}", header.stripTrailing());
    }

    @Test
    void tensorsLargerThanOneChunkStream() throws Exception {
        Path file = dir.resolve("big.safetensors");
        long f6Elements = SafetensorsWriter.CHUNK_BYTES / 3 * 4 + 4000; // 4 F6 elements per 3 bytes: 3000 past a chunk
        List<TensorSpec> specs = List.of(TensorSpec.of("f6", DType.F6_E2M3, f6Elements),
                TensorSpec.of("u8", DType.U8, SafetensorsWriter.CHUNK_BYTES * 2L + 7));
        List<Long> offsets = new ArrayList<>();
        SafetensorsWriter.write(file, specs, Map.of(), (spec, offset, chunk) -> {
            offsets.add(offset);
            PATTERN.fill(spec, offset, chunk);
        });
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertPattern("f6", f.bytes("f6"));
            assertPattern("u8", f.bytes("u8"));
        }
        assertEquals(List.of(0L, (long) SafetensorsWriter.CHUNK_BYTES, 0L, (long) SafetensorsWriter.CHUNK_BYTES,
                2L * SafetensorsWriter.CHUNK_BYTES), offsets);
    }

    @Test
    void shardedCheckpointRoundTripsThroughTheIndex() throws Exception {
        List<TensorSpec> specs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            specs.add(TensorSpec.of("blocks." + i + ".w", DType.BF16, 10, 10)); // 200 bytes each
        }
        List<Path> files = SafetensorsWriter.writeSharded(dir, specs, Map.of("format", "pt"), 450, PATTERN);
        assertEquals(List.of("model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
                "model-00003-of-00003.safetensors", Checkpoint.INDEX_NAME),
                files.stream().map(p -> p.getFileName().toString()).toList());
        var index = SafetensorsHeader.JSON.readTree(dir.resolve(Checkpoint.INDEX_NAME).toFile());
        assertEquals(1000, index.path("metadata").path("total_size").asLong());
        assertEquals("model-00003-of-00003.safetensors", index.path("weight_map").path("blocks.4.w").asText());
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertEquals(specs.stream().map(TensorSpec::name).toList(), new ArrayList<>(c.names()));
            assertEquals(3, c.files().size());
            for (TensorSpec s : specs) {
                assertEquals(s, c.spec(s.name()));
                assertPattern(s.name(), c.get(s.name()).data());
            }
            long onDisk = 0;
            for (Path p : files) {
                onDisk += Files.size(p);
            }
            assertEquals(onDisk, c.bytesOnDisk());
            assertEquals(Map.of("format", "pt"), c.metadata());
        }
        assertFalse(Files.list(dir).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary left");
    }

    @Test
    void oneShardIsWrittenAsModelSafetensorsWithoutIndex() throws Exception {
        List<TensorSpec> specs = List.of(TensorSpec.of("w", DType.F32, 4));
        Files.writeString(dir.resolve(Checkpoint.INDEX_NAME), "{\"weight_map\":{}}"); // stale, must go
        List<Path> files = SafetensorsWriter.writeSharded(dir, specs, Map.of(), 1 << 20, PATTERN);
        assertEquals(List.of(dir.resolve(Checkpoint.SINGLE_NAME)), files);
        assertFalse(Files.exists(dir.resolve(Checkpoint.INDEX_NAME)));
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertEquals(List.of("w"), new ArrayList<>(c.names()));
            assertPattern("w", c.bytes("w"));
        }
    }

    @Test
    void checkpointOpensADirectoryWithOneSafetensorsFileOrTheFileItself() throws Exception {
        Path file = dir.resolve("weights.safetensors");
        SafetensorsWriter.write(file, List.of(TensorSpec.of("w", DType.F16, 2)), Map.of(), PATTERN);
        try (Checkpoint byDir = Checkpoint.open(dir); Checkpoint byFile = Checkpoint.open(file)) {
            assertEquals(List.of(file), byDir.files());
            assertEquals(byDir.spec("w"), byFile.spec("w"));
            assertEquals(Files.size(file), byDir.bytesOnDisk());
        }
    }

    @Test
    void writtenFilesGetTheUsualPermissionsNotThoseOfATempFile() throws Exception {
        Path file = dir.resolve("p.safetensors");
        SafetensorsWriter.write(file, List.of(TensorSpec.of("w", DType.U8, 1)), Map.of(), PATTERN);
        Path plain = Files.createFile(dir.resolve("plain"));
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file));
        }
    }

    @Test
    void rewritingACheckpointRemovesTheFilesTheNewOneDoesNotUse() throws Exception {
        List<TensorSpec> four = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            four.add(TensorSpec.of("w" + i, DType.F32, 4)); // 16 bytes each
        }
        SafetensorsWriter.write(dir.resolve(Checkpoint.SINGLE_NAME), four.subList(0, 1), Map.of(), PATTERN);
        SafetensorsWriter.writeSharded(dir, four, Map.of(), 16, PATTERN); // 4 shards; model.safetensors goes
        Files.writeString(dir.resolve("notes.txt"), "kept");
        SafetensorsWriter.writeSharded(dir, four, Map.of(), 32, PATTERN); // 2 shards; the 4-shard files go
        try (var files = Files.list(dir)) {
            assertEquals(java.util.Set.of("model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
                    Checkpoint.INDEX_NAME, "notes.txt"),
                    files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertEquals(4, c.names().size());
        }
        SafetensorsWriter.writeSharded(dir, four, Map.of(), 1 << 20, PATTERN); // one file again
        try (var files = Files.list(dir)) {
            assertEquals(java.util.Set.of(Checkpoint.SINGLE_NAME, "notes.txt"),
                    files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
    }

    @Test
    void fillersMayWriteTheChunkFromOtherThreads() throws Exception {
        Path file = dir.resolve("parallel.safetensors");
        List<TensorSpec> specs = List.of(TensorSpec.of("w", DType.U8, 4096));
        SafetensorsWriter.write(file, specs, Map.of(), (spec, offset, chunk) ->
                org.mmada4j.tensor.ComputePool.shared().parallelFor(4, t -> {
                    long part = chunk.byteSize() / 4;
                    for (long i = t * part; i < (t + 1) * part; i++) {
                        chunk.set(ValueLayout.JAVA_BYTE, i, expected(spec.name(), offset + i));
                    }
                }));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertPattern("w", f.bytes("w"));
        }
    }

    @Test
    void aFileCanBeRewrittenFromItsOwnViews() throws Exception {
        Path file = dir.resolve("self.safetensors");
        SafetensorsWriter.write(file, List.of(TensorSpec.of("a", DType.F32, 8), TensorSpec.of("b", DType.BF16, 4)),
                Map.of(), PATTERN);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            Map<String, Tensor> views = new LinkedHashMap<>();
            for (String name : f.names()) {
                views.put(name, f.get(name));
            }
            SafetensorsWriter.write(file, views, Map.of("rewritten", "yes"));
            assertPattern("a", f.bytes("a")); // the old mapping still reads the replaced file's bytes
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(Map.of("rewritten", "yes"), f.metadata());
            assertPattern("a", f.bytes("a"));
            assertPattern("b", f.bytes("b"));
        }
    }
}
