package org.mmada4j.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mmada4j.tensor.Tensor;

/**
 * One {@code .safetensors} file, memory-mapped read-only.
 *
 * <p>Layout (huggingface/safetensors): an unsigned little-endian 64-bit header length {@code N},
 * {@code N} bytes of UTF-8 JSON ({@code name -> {dtype, shape, data_offsets}} plus an optional
 * {@code __metadata__} string map), then the data region, to which the offsets are relative.
 *
 * <p>Contract: {@link #open} maps the whole file into an {@link Arena} owned by this object and
 * validates the header completely ({@link SafetensorsHeader}) before anything is exposed, so a
 * malformed file fails there with a {@link CheckpointException} naming the file and the tensor or
 * field, and every view handed out afterwards lies inside the file. Tensors are read-only views
 * (never copied to the heap) readable from any thread until {@link #close()}. The file must not be
 * truncated while it is open (as with any mapping, the OS would then fault on access).
 */
public final class SafetensorsFile implements TensorSource {
    private static final ValueLayout.OfLong U64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final Arena arena;
    private final MemorySegment data; // the data region only
    private final long fileSize;
    private final SafetensorsHeader header;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SafetensorsFile(Path file, Arena arena, MemorySegment data, long fileSize, SafetensorsHeader header) {
        this.file = file;
        this.arena = arena;
        this.data = data;
        this.fileSize = fileSize;
        this.header = header;
    }

    /** Maps and validates {@code file}; every failure, I/O included, is a {@link CheckpointException}. */
    public static SafetensorsFile open(Path file) throws CheckpointException {
        // Shared: the compute pool's threads read the weights concurrently.
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new CheckpointException(file, "file has " + size + " bytes, too short for the 8-byte header length");
            }
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena).asReadOnly();
            long n = all.get(U64_LE, 0);
            // Unsigned comparisons: a length with the top bit set is huge, not negative.
            if (Long.compareUnsigned(n, SafetensorsHeader.MAX_HEADER_BYTES) > 0) {
                throw new CheckpointException(file, "header length " + Long.toUnsignedString(n)
                        + " exceeds the limit of " + SafetensorsHeader.MAX_HEADER_BYTES + " bytes");
            }
            if (n > size - 8) {
                throw new CheckpointException(file, "header length " + n + " is larger than the file ("
                        + size + " bytes; truncated file?)");
            }
            byte[] json = all.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
            long dataBytes = size - 8 - n;
            SafetensorsHeader header = SafetensorsHeader.parse(file, json, dataBytes);
            return new SafetensorsFile(file, arena, all.asSlice(8 + n, dataBytes), size, header);
        } catch (CheckpointException e) {
            arena.close();
            throw e;
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw new CheckpointException(file, "cannot map: " + e, e);
        }
    }

    @Override
    public Path path() {
        return file;
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(header.entries.keySet());
    }

    @Override
    public boolean contains(String name) {
        return header.entries.containsKey(name);
    }

    @Override
    public TensorSpec spec(String name) throws CheckpointException {
        return entry(name).spec();
    }

    @Override
    public Tensor get(String name) throws CheckpointException {
        SafetensorsHeader.Entry e = entry(name);
        TensorSpec spec = e.spec();
        if (!spec.dtype().isByteAddressable()) {
            throw new CheckpointException(file, "tensor '" + name + "' has packed dtype " + spec.dtype()
                    + ", which no Tensor can hold; read its raw bytes with bytes(name)");
        }
        return new Tensor(spec.dtype(), spec.shape(), slice(e));
    }

    @Override
    public MemorySegment bytes(String name) throws CheckpointException {
        return slice(entry(name));
    }

    @Override
    public Map<String, String> metadata() {
        return header.metadata;
    }

    @Override
    public long bytesOnDisk() {
        return fileSize;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + file + ", " + header.entries.size() + " tensors]";
    }

    private MemorySegment slice(SafetensorsHeader.Entry e) {
        return data.asSlice(e.begin(), e.end() - e.begin());
    }

    private SafetensorsHeader.Entry entry(String name) throws CheckpointException {
        SafetensorsHeader.Entry e = header.entries.get(name);
        if (e == null) {
            throw new CheckpointException(file, "no tensor '" + name + "' in this file");
        }
        return e;
    }
}
