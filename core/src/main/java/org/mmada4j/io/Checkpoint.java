package org.mmada4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mmada4j.tensor.Tensor;

/**
 * A model checkpoint as Hugging Face lays it out: one {@code model.safetensors}, or shards named by
 * {@code model.safetensors.index.json} ({@code {"weight_map": {tensor: shard file}}}).
 *
 * <p>{@link #open} accepts, in this order of preference for a directory:
 * {@value #INDEX_NAME}; {@value #SINGLE_NAME}; the directory's only {@code *.safetensors.index.json};
 * its only {@code *.safetensors}. A path to an index or to a {@code .safetensors} file opens that.
 *
 * <p>Contract: every shard is mapped and validated at open ({@link SafetensorsFile}), and the index
 * must agree with the shards exactly: a shard that does not exist, a tensor the index puts in a
 * shard that lacks it, a tensor a shard holds that the index does not list, or one held by two
 * shards each fail with a {@link CheckpointException} naming the index or shard and the tensor.
 * {@code metadata.total_size} of the index is informative and not checked (writers disagree on
 * it). Unreferenced {@code .safetensors} files in the directory are ignored.
 */
public final class Checkpoint implements TensorSource {
    public static final String INDEX_NAME = "model.safetensors.index.json";
    public static final String SINGLE_NAME = "model.safetensors";
    private static final long MAX_INDEX_BYTES = 100_000_000L;

    private final Path path;
    private final List<SafetensorsFile> shards;
    private final Map<String, SafetensorsFile> owner; // file order
    private final long indexBytes;

    private Checkpoint(Path path, List<SafetensorsFile> shards, long indexBytes) {
        this.path = path;
        this.shards = List.copyOf(shards);
        this.indexBytes = indexBytes;
        Map<String, SafetensorsFile> m = new LinkedHashMap<>();
        for (SafetensorsFile s : shards) {
            for (String name : s.names()) {
                m.put(name, s);
            }
        }
        this.owner = m;
    }

    /** Opens a checkpoint directory, index file or single safetensors file; see the class comment. */
    public static Checkpoint open(Path path) throws CheckpointException {
        Path file = locate(path);
        if (file.getFileName().toString().endsWith(".index.json")) {
            return openIndex(path, file);
        }
        return new Checkpoint(path, List.of(SafetensorsFile.open(file)), 0);
    }

    /** The shard files (one for an unsharded checkpoint), in index order. */
    public List<Path> files() {
        return shards.stream().map(SafetensorsFile::path).toList();
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(owner.keySet());
    }

    @Override
    public boolean contains(String name) {
        return owner.containsKey(name);
    }

    @Override
    public TensorSpec spec(String name) throws CheckpointException {
        return shard(name).spec(name);
    }

    @Override
    public Tensor get(String name) throws CheckpointException {
        return shard(name).get(name);
    }

    @Override
    public MemorySegment bytes(String name) throws CheckpointException {
        return shard(name).bytes(name);
    }

    @Override
    public Map<String, String> metadata() {
        return shards.isEmpty() ? Map.of() : shards.get(0).metadata();
    }

    @Override
    public long bytesOnDisk() {
        long total = indexBytes;
        for (SafetensorsFile s : shards) {
            total += s.bytesOnDisk();
        }
        return total;
    }

    @Override
    public void close() {
        for (SafetensorsFile s : shards) {
            s.close();
        }
    }

    @Override
    public String toString() {
        return "Checkpoint[" + path + ", " + shards.size() + " file(s), " + owner.size() + " tensors]";
    }

    private SafetensorsFile shard(String name) throws CheckpointException {
        SafetensorsFile s = owner.get(name);
        if (s == null) {
            throw new CheckpointException(path, "no tensor '" + name + "' in this checkpoint");
        }
        return s;
    }

    private static Path locate(Path path) throws CheckpointException {
        if (Files.isRegularFile(path)) {
            return path;
        }
        if (!Files.isDirectory(path)) {
            throw new CheckpointException(path, "no such checkpoint file or directory");
        }
        for (String name : List.of(INDEX_NAME, SINGLE_NAME)) {
            if (Files.isRegularFile(path.resolve(name))) {
                return path.resolve(name);
            }
        }
        for (String suffix : List.of(".safetensors.index.json", ".safetensors")) {
            List<Path> found = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(path, "*" + suffix)) {
                ds.forEach(found::add);
            } catch (IOException e) {
                throw new CheckpointException(path, "cannot list directory: " + e, e);
            }
            if (found.size() == 1) {
                return found.get(0);
            }
            if (found.size() > 1) {
                Collections.sort(found);
                throw new CheckpointException(path, "found " + found.size() + " *" + suffix + " files " + found
                        + " and no " + INDEX_NAME + " or " + SINGLE_NAME + " to say which is the checkpoint");
            }
        }
        throw new CheckpointException(path, "no " + INDEX_NAME + ", " + SINGLE_NAME + " or other *.safetensors file");
    }

    private static Checkpoint openIndex(Path path, Path index) throws CheckpointException {
        long indexBytes;
        byte[] bytes;
        try {
            indexBytes = Files.size(index);
            if (indexBytes > MAX_INDEX_BYTES) {
                throw new CheckpointException(index, "index has " + indexBytes + " bytes, over the limit of " + MAX_INDEX_BYTES);
            }
            bytes = Files.readAllBytes(index);
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(index, "cannot read: " + e, e);
        }
        JsonNode root = SafetensorsHeader.readJson(index, bytes, "index");
        JsonNode weightMap = root.isObject() ? root.get("weight_map") : null;
        if (weightMap == null) {
            throw new CheckpointException(index, "field 'weight_map' is missing");
        }
        Map<String, String> tensorToShard = SafetensorsHeader.stringMap(index, weightMap, "weight_map");
        Path dir = index.toAbsolutePath().getParent();
        Map<Path, List<String>> byShard = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : tensorToShard.entrySet()) {
            Path shard;
            try {
                shard = dir.resolve(e.getValue()).normalize();
            } catch (InvalidPathException bad) {
                throw new CheckpointException(index, "weight_map names shard '" + e.getValue() + "' (for tensor '"
                        + e.getKey() + "'), which is not a valid file name");
            }
            if (!shard.startsWith(dir.normalize()) || !Files.isRegularFile(shard)) {
                throw new CheckpointException(index, "weight_map names shard '" + e.getValue() + "' (for tensor '"
                        + e.getKey() + "'), which does not exist in " + dir);
            }
            byShard.computeIfAbsent(shard, k -> new ArrayList<>()).add(e.getKey());
        }
        List<SafetensorsFile> opened = new ArrayList<>();
        try {
            for (Map.Entry<Path, List<String>> e : byShard.entrySet()) {
                SafetensorsFile shard = SafetensorsFile.open(e.getKey());
                opened.add(shard);
                for (String name : e.getValue()) {
                    if (!shard.contains(name)) {
                        throw new CheckpointException(index, "weight_map puts tensor '" + name + "' in shard "
                                + e.getKey().getFileName() + ", which does not hold it");
                    }
                }
                for (String name : shard.names()) {
                    String listed = tensorToShard.get(name);
                    if (listed == null) {
                        throw new CheckpointException(shard.path(), "holds tensor '" + name + "', which the index "
                                + index.getFileName() + " does not list");
                    }
                    if (!dir.resolve(listed).normalize().equals(e.getKey())) {
                        throw new CheckpointException(shard.path(), "holds tensor '" + name + "', which the index "
                                + index.getFileName() + " puts in shard " + listed + " (tensor present in two shards)");
                    }
                }
            }
        } catch (CheckpointException | RuntimeException e) {
            opened.forEach(SafetensorsFile::close);
            throw e;
        }
        return new Checkpoint(path, opened, indexBytes);
    }
}
