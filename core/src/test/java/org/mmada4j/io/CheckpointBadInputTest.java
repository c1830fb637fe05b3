package org.mmada4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmada4j.tensor.DType;

/** Sharded checkpoints whose index and shards disagree, and writers that fail halfway. */
class CheckpointBadInputTest {
    @TempDir
    Path dir;

    private void shard(String file, String... names) throws IOException {
        List<TensorSpec> specs = Stream.of(names).map(n -> TensorSpec.of(n, DType.F32, 2)).toList();
        SafetensorsWriter.write(dir.resolve(file), specs, Map.of(), SafetensorsRoundTripTest.PATTERN);
    }

    private void index(String weightMapJson) throws IOException {
        Files.writeString(dir.resolve(Checkpoint.INDEX_NAME), "{\"metadata\":{\"total_size\":0},\"weight_map\":" + weightMapJson + "}");
    }

    private String failure(Path expectedFile) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(dir).close());
        assertTrue(e.getMessage().startsWith(expectedFile + ": "), e.getMessage());
        return e.getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "'" + message + "' should mention " + p);
        }
    }

    @Test
    void consistentShardsOpen() throws Exception {
        shard("s1.safetensors", "a", "b");
        shard("s2.safetensors", "c");
        index("{\"a\":\"s1.safetensors\",\"b\":\"s1.safetensors\",\"c\":\"s2.safetensors\"}");
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertEquals(List.of("a", "b", "c"), List.copyOf(c.names()));
            assertEquals(List.of(dir.resolve("s1.safetensors"), dir.resolve("s2.safetensors")), c.files());
        }
    }

    @Test
    void indexNamingAMissingShard() throws Exception {
        shard("s1.safetensors", "a");
        index("{\"a\":\"s1.safetensors\",\"b\":\"s9.safetensors\"}");
        assertMentions(failure(dir.resolve(Checkpoint.INDEX_NAME)), "shard 's9.safetensors'", "tensor 'b'", "does not exist");
    }

    @Test
    void indexNamingAShardOutsideTheDirectory() throws Exception {
        shard("s1.safetensors", "a");
        index("{\"a\":\"../s1.safetensors\"}");
        assertMentions(failure(dir.resolve(Checkpoint.INDEX_NAME)), "'../s1.safetensors'", "tensor 'a'");
    }

    @Test
    void tensorListedInTheIndexButAbsentFromItsShard() throws Exception {
        shard("s1.safetensors", "a");
        index("{\"a\":\"s1.safetensors\",\"ghost\":\"s1.safetensors\"}");
        assertMentions(failure(dir.resolve(Checkpoint.INDEX_NAME)), "tensor 'ghost'", "s1.safetensors", "does not hold it");
    }

    @Test
    void tensorInAShardButNotInTheIndex() throws Exception {
        shard("s1.safetensors", "a", "extra");
        index("{\"a\":\"s1.safetensors\"}");
        assertMentions(failure(dir.resolve("s1.safetensors")), "tensor 'extra'", "does not list");
    }

    @Test
    void tensorPresentInTwoShards() throws Exception {
        shard("s1.safetensors", "a", "b");
        shard("s2.safetensors", "b");
        index("{\"a\":\"s1.safetensors\",\"b\":\"s2.safetensors\"}");
        assertMentions(failure(dir.resolve("s1.safetensors")), "tensor 'b'", "s2.safetensors", "two shards");
    }

    @Test
    void malformedIndex() throws Exception {
        Files.writeString(dir.resolve(Checkpoint.INDEX_NAME), "{\"weight_map\":");
        assertMentions(failure(dir.resolve(Checkpoint.INDEX_NAME)), "invalid index JSON");
        Files.writeString(dir.resolve(Checkpoint.INDEX_NAME), "{\"metadata\":{}}");
        assertMentions(failure(dir.resolve(Checkpoint.INDEX_NAME)), "'weight_map' is missing");
        Files.writeString(dir.resolve(Checkpoint.INDEX_NAME), "{\"weight_map\":{\"a\":3}}");
        assertMentions(failure(dir.resolve(Checkpoint.INDEX_NAME)), "'weight_map'", "'a'", "not a string");
    }

    @Test
    void badShardIsNamedItself() throws Exception {
        Files.write(dir.resolve("s1.safetensors"), new byte[3]);
        index("{\"a\":\"s1.safetensors\"}");
        assertMentions(failure(dir.resolve("s1.safetensors")), "3 bytes");
    }

    @Test
    void missingTensorNamesTheCheckpoint() throws Exception {
        shard(Checkpoint.SINGLE_NAME, "a");
        try (Checkpoint c = Checkpoint.open(dir)) {
            CheckpointException e = assertThrows(CheckpointException.class, () -> c.get("model.lm_head.weight"));
            assertEquals(dir + ": no tensor 'model.lm_head.weight' in this checkpoint", e.getMessage());
        }
    }

    @Test
    void directoriesWithoutAnUnambiguousCheckpoint() throws Exception {
        assertMentions(failure(dir), "no model.safetensors.index.json", "*.safetensors");
        shard("x.safetensors", "a");
        shard("y.safetensors", "a");
        assertMentions(failure(dir), "found 2 *.safetensors files", "x.safetensors", "y.safetensors");
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(dir.resolve("absent")));
        assertMentions(e.getMessage(), dir.resolve("absent").toString(), "no such");
    }

    @Test
    void failedWriteLeavesThePreviousFileAndNoTemporary() throws Exception {
        Path file = dir.resolve("model.safetensors");
        shard("model.safetensors", "old");
        byte[] before = Files.readAllBytes(file);
        List<TensorSpec> specs = List.of(TensorSpec.of("x", DType.U8, SafetensorsWriter.CHUNK_BYTES * 3L));
        IOException e = assertThrows(IOException.class, () -> SafetensorsWriter.write(file, specs, Map.of(),
                (spec, offset, chunk) -> {
                    if (offset > 0) {
                        throw new IOException("disk full (simulated)");
                    }
                }));
        assertEquals("disk full (simulated)", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertOnlyFiles("model.safetensors");
    }

    @Test
    void failedShardedWriteLeavesThePreviousCheckpointAndNoTemporary() throws Exception {
        List<TensorSpec> specs = List.of(TensorSpec.of("a", DType.F32, 4), TensorSpec.of("b", DType.F32, 4));
        SafetensorsWriter.writeSharded(dir, specs, Map.of(), 16, SafetensorsRoundTripTest.PATTERN);
        byte[] first = Files.readAllBytes(dir.resolve("model-00001-of-00002.safetensors"));
        byte[] index = Files.readAllBytes(dir.resolve(Checkpoint.INDEX_NAME));
        assertThrows(IllegalStateException.class, () -> SafetensorsWriter.writeSharded(dir, specs, Map.of(), 16,
                (spec, offset, chunk) -> {
                    chunk.fill((byte) 1);
                    if (spec.name().equals("b")) {
                        throw new IllegalStateException("filler bug (simulated)");
                    }
                }));
        assertArrayEquals(first, Files.readAllBytes(dir.resolve("model-00001-of-00002.safetensors")));
        assertArrayEquals(index, Files.readAllBytes(dir.resolve(Checkpoint.INDEX_NAME)));
        assertOnlyFiles("model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", Checkpoint.INDEX_NAME);
        try (Checkpoint c = Checkpoint.open(dir)) {
            SafetensorsRoundTripTest.assertPattern("b", c.bytes("b"));
        }
    }

    @Test
    void writerRejectsDuplicateNamesBeforeCreatingAnything() throws IOException {
        List<TensorSpec> specs = List.of(TensorSpec.of("a", DType.F32, 1), TensorSpec.of("a", DType.F32, 1));
        assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.write(dir.resolve("d.safetensors"), specs, Map.of(), SafetensorsRoundTripTest.PATTERN));
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.writeSharded(dir.resolve("sub"),
                List.of(TensorSpec.of("__metadata__", DType.F32, 1)), Map.of(), 8, SafetensorsRoundTripTest.PATTERN));
        assertOnlyFiles();
    }

    private void assertOnlyFiles(String... names) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(java.util.Set.of(names), s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
    }
}
