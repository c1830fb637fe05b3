package org.mmada4j.io;

import java.util.Arrays;
import java.util.Objects;
import org.mmada4j.tensor.DType;
import org.mmada4j.tensor.Tensor;

/**
 * What a checkpoint says about one tensor, without its data: name, dtype and shape. Readers return
 * it for lookups that must not touch the mapped bytes ({@code inspect}, shape checks against the
 * config); writers take a list of them to lay out a file before any data is produced.
 *
 * @param name  the checkpoint name, e.g. {@code model.transformer.blocks.0.q_proj.weight}
 * @param dtype element type
 * @param shape dimensions, row-major; {@code []} is a scalar (the array is copied, never shared)
 */
public record TensorSpec(String name, DType dtype, long[] shape) {
    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
        Tensor.elementCount(shape); // rejects negative dimensions and overflow
    }

    public static TensorSpec of(String name, DType dtype, long... shape) {
        return new TensorSpec(name, dtype, shape);
    }

    /** The spec of an existing tensor. */
    public static TensorSpec of(String name, Tensor tensor) {
        return new TensorSpec(name, tensor.dtype(), tensor.shape());
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    public long elementCount() {
        return Tensor.elementCount(shape);
    }

    /** Bytes of the tensor's data as stored (bits / 8 for the packed MX types). */
    public long byteSize() {
        return dtype.byteSize(elementCount());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec s && name.equals(s.name) && dtype == s.dtype && Arrays.equals(shape, s.shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
