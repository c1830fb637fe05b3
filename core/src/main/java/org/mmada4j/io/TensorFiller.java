package org.mmada4j.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * Produces a tensor's bytes chunk by chunk for {@link SafetensorsWriter}, so that a checkpoint
 * larger than the heap (MMaDA-8B in bf16: 16 GB) can be written with a small, fixed buffer.
 *
 * <p>For each tensor, in file order, the writer calls {@link #fill} with consecutive chunks that
 * cover the tensor's {@link TensorSpec#byteSize()} bytes exactly once. {@code chunk} is zeroed
 * native memory, {@code chunk.byteSize()} long, standing for bytes
 * {@code [byteOffset, byteOffset + chunk.byteSize())} of the tensor's little-endian data.
 * {@code byteOffset} and the chunk length are multiples of 24 bytes except for the tensor's last
 * chunk, so a chunk always starts on an element boundary of every dtype (an F6 element group is
 * 3 bytes, the widest element 8). The chunk is shared memory: the filler may hand it to worker
 * threads (e.g. {@code ComputePool.parallelFor}) as long as they finish before {@code fill}
 * returns; it is reused afterwards, so do not keep it.
 */
@FunctionalInterface
public interface TensorFiller {
    void fill(TensorSpec spec, long byteOffset, MemorySegment chunk) throws IOException;
}
