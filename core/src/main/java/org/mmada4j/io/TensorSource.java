package org.mmada4j.io;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.mmada4j.tensor.Tensor;

/**
 * Named tensors backed by memory-mapped checkpoint files: one safetensors file
 * ({@link SafetensorsFile}) or a whole, possibly sharded, checkpoint ({@link Checkpoint}).
 *
 * <p>Contract: everything was validated when the source was opened, so {@link #get} and
 * {@link #bytes} only fail for a name the source does not hold. Returned tensors and segments are
 * read-only views into the mapping (never copied to the heap), readable from any thread, and valid
 * until {@link #close()}; touching them afterwards throws {@link IllegalStateException}.
 */
public interface TensorSource extends AutoCloseable {
    /** The file or directory this source was opened from. */
    Path path();

    /** Tensor names in file order (shard by shard, then by data offset). */
    Set<String> names();

    default boolean contains(String name) {
        return names().contains(name);
    }

    /** Dtype and shape of {@code name}, without touching its data. */
    TensorSpec spec(String name) throws CheckpointException;

    /** The tensor {@code name} as a read-only view; fails for the packed MX dtypes (use {@link #bytes}). */
    Tensor get(String name) throws CheckpointException;

    /** The raw little-endian bytes of {@code name} as a read-only view (any dtype). */
    MemorySegment bytes(String name) throws CheckpointException;

    /** The {@code __metadata__} string map of the (first) file; empty when absent. */
    Map<String, String> metadata();

    /** Bytes of all files that make up this source, headers and index included. */
    long bytesOnDisk();

    /** Unmaps the files; idempotent. */
    @Override
    void close();
}
