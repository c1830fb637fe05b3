package org.mmada4j.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A dense, row-major, little-endian tensor: a shape, a dtype and a {@link MemorySegment}.
 *
 * <p>The segment may be a read-only view into a memory-mapped checkpoint (weights are never copied
 * to the heap) or wrap a heap {@code float[]} (training parameters, activations handed to I/O).
 * Reads widen F32, BF16 and F16 to fp32; compute always happens in fp32.
 */
public final class Tensor {
    private static final ValueLayout.OfFloat F32_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final DType dtype;
    private final long[] shape;
    private final MemorySegment data;

    public Tensor(DType dtype, long[] shape, MemorySegment data) {
        long n = elementCount(shape);
        if (data.byteSize() != n * dtype.bytes()) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " " + dtype
                    + " needs " + n * dtype.bytes() + " bytes, segment has " + data.byteSize());
        }
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data;
    }

    /** Wraps a heap float array (no copy). */
    public static Tensor ofFloats(float[] values, long... shape) {
        return new Tensor(DType.F32, shape, MemorySegment.ofArray(values));
    }

    public DType dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    public long size() {
        return elementCount(shape);
    }

    public MemorySegment data() {
        return data;
    }

    /** Element {@code i} of the flattened tensor, widened to fp32. */
    public float getFloat(long i) {
        return switch (dtype) {
            case F32 -> data.getAtIndex(F32_LE, i);
            case BF16 -> bf16ToFloat(data.getAtIndex(I16_LE, i));
            case F16 -> Float.float16ToFloat(data.getAtIndex(I16_LE, i));
            default -> throw new UnsupportedOperationException("cannot read " + dtype + " as float");
        };
    }

    /** Copies {@code count} elements starting at flat index {@code from} into {@code dst[dstOff..]}, widened. */
    public void copyTo(long from, float[] dst, int dstOff, int count) {
        switch (dtype) {
            case F32 -> MemorySegment.copy(data, F32_LE, from * 4, dst, dstOff, count);
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOff + i] = bf16ToFloat(data.getAtIndex(I16_LE, from + i));
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOff + i] = Float.float16ToFloat(data.getAtIndex(I16_LE, from + i));
                }
            }
            default -> throw new UnsupportedOperationException("cannot read " + dtype + " as float");
        }
    }

    /** The whole tensor widened to a new fp32 array. */
    public float[] toFloatArray() {
        long n = size();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("tensor of " + n + " elements does not fit a Java array");
        }
        float[] out = new float[(int) n];
        copyTo(0, out, 0, (int) n);
        return out;
    }

    /** Rows {@code [from, to)} along the first dimension, as a view sharing the same memory. */
    public Tensor rows(long from, long to) {
        if (from < 0 || to > shape[0] || from > to) {
            throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") of " + Arrays.toString(shape));
        }
        long rowElems = shape[0] == 0 ? 0 : size() / shape[0];
        long[] s = shape.clone();
        s[0] = to - from;
        return new Tensor(dtype, s, data.asSlice(from * rowElems * dtype.bytes(), (to - from) * rowElems * dtype.bytes()));
    }

    /** Same memory, another shape with the same element count. */
    public Tensor reshape(long... newShape) {
        if (elementCount(newShape) != size()) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
        }
        return new Tensor(dtype, newShape, data);
    }

    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** bf16 bits (upper half of an fp32) to fp32. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** fp32 to bf16 bits with round-to-nearest-even, as PyTorch's {@code .to(torch.bfloat16)}. */
    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + " " + dtype;
    }
}
