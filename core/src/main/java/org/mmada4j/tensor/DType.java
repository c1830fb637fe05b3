package org.mmada4j.tensor;

/**
 * Element types of stored tensors, named as in the safetensors header.
 *
 * <p>Every dtype the safetensors format defines is listed so that parsers can name what they
 * found; only {@link #F32}, {@link #BF16} and {@link #F16} can back a {@link Tensor} used in
 * compute ({@link #isComputeStorage()}), integer types appear in fixtures and metadata.
 */
public enum DType {
    F64(8), F32(4), F16(2), BF16(2),
    F8_E4M3(1), F8_E5M2(1),
    I64(8), I32(4), I16(2), I8(1),
    U64(8), U32(4), U16(2), U8(1),
    BOOL(1);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Size of one element in bytes. */
    public int bytes() {
        return bytes;
    }

    /** Whether a {@link Tensor} of this dtype can feed the kernels (widened to fp32 on load). */
    public boolean isComputeStorage() {
        return this == F32 || this == BF16 || this == F16;
    }

    /** Parses a safetensors dtype name ("F32", "BF16", ...); returns null when unknown. */
    public static DType fromSafetensorsName(String name) {
        for (DType d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }
}
