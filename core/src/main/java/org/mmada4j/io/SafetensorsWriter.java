package org.mmada4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.mmada4j.tensor.Tensor;

/**
 * Writes safetensors files and sharded checkpoints that {@link Checkpoint} and the reference
 * library read.
 *
 * <p>Contract: tensors are laid out contiguously in the order given (the {@code Map} convenience
 * sorts by name), header keys in the same order after {@code __metadata__} (its keys sorted), the
 * header padded with spaces to a multiple of 8 bytes, so equal inputs give byte-identical files
 * (and the reference library's file when given its order). Data streams through one fixed native
 * chunk ({@link TensorFiller}), so any size is written with a small heap. Every file is written to
 * a temporary sibling, forced to disk and renamed over the target: if anything fails (the filler
 * included), the temporaries are deleted and files already at the targets are left as they were.
 * A sharded write renames nothing until all shards and the index are complete. Because the target
 * is replaced, not overwritten, tensors mapped from it stay valid: a checkpoint can be rewritten
 * from its own views.
 */
public final class SafetensorsWriter {
    /** Chunk size: a multiple of 24 bytes (see {@link TensorFiller}), large enough for fast writes. */
    static final int CHUNK_BYTES = 24 << 19; // 12 MiB
    private static final Pattern STALE_SHARD = Pattern.compile("model-\\d{5}-of-\\d{5}\\.safetensors");

    private SafetensorsWriter() {
    }

    /** Writes {@code tensors} (in name order) with no metadata. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /** Writes {@code tensors} (in name order) and {@code metadata} as {@code __metadata__}. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Map<String, Tensor> sorted = new TreeMap<>(tensors);
        List<TensorSpec> specs = new ArrayList<>();
        sorted.forEach((name, t) -> specs.add(TensorSpec.of(name, t)));
        write(file, specs, metadata, copyFrom(sorted));
    }

    /** Writes one file holding {@code specs} in order, their bytes produced by {@code filler}. */
    public static void write(Path file, List<TensorSpec> specs, Map<String, String> metadata, TensorFiller filler)
            throws IOException {
        byte[] header = header(specs, metadata);
        Path tmp = AtomicFiles.temporarySibling(file);
        try (Arena arena = Arena.ofShared()) {
            writeData(tmp, header, specs, filler, arena.allocate(CHUNK_BYTES, 64));
            AtomicFiles.commit(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Writes a checkpoint directory as Hugging Face does: shards
     * {@code model-0000k-of-0000n.safetensors} of at most {@code maxShardBytes} of tensor data
     * each (a larger tensor gets a shard of its own; tensors are never split) and
     * {@value Checkpoint#INDEX_NAME} with {@code metadata.total_size} (bytes of tensor data) and
     * {@code weight_map}. When everything fits one shard it writes {@value Checkpoint#SINGLE_NAME}
     * and no index. All files are complete (as temporaries) before the first rename; then files of
     * an earlier checkpoint in {@code dir} that the new one does not use ({@code model.safetensors},
     * the index, other {@code model-*-of-*.safetensors}) are deleted, as Hugging Face's
     * {@code save_pretrained} does, so they can neither shadow the new checkpoint nor waste disk.
     *
     * @return the files written, index last
     */
    public static List<Path> writeSharded(Path dir, List<TensorSpec> specs, Map<String, String> metadata,
                                          long maxShardBytes, TensorFiller filler) throws IOException {
        if (maxShardBytes <= 0) {
            throw new IllegalArgumentException("maxShardBytes must be positive, got " + maxShardBytes);
        }
        header(specs, metadata); // validates names and sizes before anything is created
        List<List<TensorSpec>> groups = new ArrayList<>();
        long inGroup = 0;
        for (TensorSpec s : specs) {
            if (groups.isEmpty() || (inGroup > 0 && inGroup + s.byteSize() > maxShardBytes)) {
                groups.add(new ArrayList<>());
                inGroup = 0;
            }
            groups.get(groups.size() - 1).add(s);
            inGroup += s.byteSize();
        }
        Files.createDirectories(dir);
        if (groups.size() <= 1) {
            Path single = dir.resolve(Checkpoint.SINGLE_NAME);
            write(single, specs, metadata, filler);
            deleteStale(dir, List.of(single));
            return List.of(single);
        }
        int n = groups.size();
        List<Path> targets = new ArrayList<>();
        List<Path> temps = new ArrayList<>();
        ObjectNode weightMap = SafetensorsHeader.JSON.createObjectNode();
        long totalSize = 0;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment chunk = arena.allocate(CHUNK_BYTES, 64);
            for (int k = 0; k < n; k++) {
                String name = String.format("model-%05d-of-%05d.safetensors", k + 1, n);
                targets.add(dir.resolve(name));
                temps.add(AtomicFiles.temporarySibling(targets.get(k)));
                writeData(temps.get(k), header(groups.get(k), metadata), groups.get(k), filler, chunk);
                for (TensorSpec s : groups.get(k)) {
                    weightMap.put(s.name(), name);
                    totalSize += s.byteSize();
                }
            }
            ObjectNode index = SafetensorsHeader.JSON.createObjectNode();
            index.putObject("metadata").put("total_size", totalSize);
            index.set("weight_map", weightMap);
            targets.add(dir.resolve(Checkpoint.INDEX_NAME));
            temps.add(AtomicFiles.temporarySibling(targets.get(n)));
            Files.write(temps.get(n), SafetensorsHeader.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(index));
            // Renames only from here: the window in which old and new files mix is as short as it gets.
            for (int k = 0; k <= n; k++) {
                AtomicFiles.commit(temps.get(k), targets.get(k));
            }
        } finally {
            for (Path tmp : temps) {
                Files.deleteIfExists(tmp);
            }
        }
        deleteStale(dir, targets);
        return List.copyOf(targets);
    }

    /** Deletes checkpoint files in {@code dir} that {@code keep} does not list (see {@link #writeSharded}). */
    private static void deleteStale(Path dir, List<Path> keep) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> {
            String name = p.getFileName().toString();
            return name.equals(Checkpoint.SINGLE_NAME) || name.equals(Checkpoint.INDEX_NAME)
                    || STALE_SHARD.matcher(name).matches();
        })) {
            for (Path p : ds) {
                if (!keep.contains(p)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** A filler that copies each tensor's bytes from {@code tensors} (heap or native memory). */
    public static TensorFiller copyFrom(Map<String, Tensor> tensors) {
        return (spec, offset, chunk) ->
                MemorySegment.copy(tensors.get(spec.name()).data(), offset, chunk, 0, chunk.byteSize());
    }

    /** The JSON header, space-padded to a multiple of 8 bytes; validates names and sizes. */
    static byte[] header(List<TensorSpec> specs, Map<String, String> metadata) {
        ObjectNode root = SafetensorsHeader.JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = root.putObject(SafetensorsHeader.METADATA_KEY);
            new TreeMap<>(metadata).forEach(meta::put);
        }
        Set<String> seen = new HashSet<>();
        long offset = 0;
        for (TensorSpec s : specs) {
            if (s.name().equals(SafetensorsHeader.METADATA_KEY) || !seen.add(s.name())) {
                throw new IllegalArgumentException("tensor name '" + s.name() + "' is reserved or given twice");
            }
            long end = Math.addExact(offset, s.byteSize());
            ObjectNode e = root.putObject(s.name());
            e.put("dtype", s.dtype().name());
            ArrayNode shape = e.putArray("shape");
            for (long d : s.shape()) {
                shape.add(d);
            }
            e.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json;
        try {
            json = SafetensorsHeader.JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a safetensors header", e);
        }
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(json, 0, out, 0, json.length);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static void writeData(Path tmp, byte[] header, List<TensorSpec> specs, TensorFiller filler,
                                  MemorySegment chunk) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer prefix = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
            prefix.putLong(header.length).put(header).flip();
            writeFully(ch, prefix);
            for (TensorSpec s : specs) {
                long size = s.byteSize();
                for (long off = 0; off < size; off += CHUNK_BYTES) {
                    MemorySegment part = chunk.asSlice(0, Math.min(CHUNK_BYTES, size - off));
                    part.fill((byte) 0);
                    filler.fill(s, off, part);
                    writeFully(ch, part.asByteBuffer());
                }
            }
            ch.force(true);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
