package org.mmada4j.tensor;

/**
 * Element types of stored tensors, named exactly as in the safetensors header.
 *
 * <p>Every dtype the safetensors format defines (huggingface/safetensors {@code Dtype}, 0.6) is
 * listed so that parsers can name what they found. Sizes are in bits because the MX formats
 * ({@link #F4}, {@link #F6_E2M3}, {@link #F6_E3M2}) pack several elements per byte; only
 * byte-addressable dtypes ({@link #isByteAddressable()}) can back a {@link Tensor}. Only
 * {@link #F32}, {@link #BF16} and {@link #F16} feed the kernels ({@link #isComputeStorage()});
 * the others appear in fixtures and metadata or are rejected by whoever needs compute storage.
 */
public enum DType {
    F64(64), F32(32), F16(16), BF16(16),
    /** FP8 (arXiv 2209.05433). */
    F8_E4M3(8), F8_E5M2(8),
    /** MX scale type (OCP microscaling formats v1.0): exponent only. */
    F8_E8M0(8),
    /** MX element types, packed below one byte per element. */
    F4(4), F6_E2M3(6), F6_E3M2(6),
    /** Complex with two fp32 parts. */
    C64(64),
    I64(64), I32(32), I16(16), I8(8),
    U64(64), U32(32), U16(16), U8(8),
    BOOL(8);

    private final int bits;

    DType(int bits) {
        this.bits = bits;
    }

    /** Size of one element in bits (4 and 6 for the packed MX types). */
    public int bits() {
        return bits;
    }

    /** Whether one element occupies whole bytes (all but {@link #F4} and the {@code F6_*} types). */
    public boolean isByteAddressable() {
        return bits % 8 == 0;
    }

    /** Size of one element in bytes; fails for the packed sub-byte types, which have none. */
    public int bytes() {
        if (!isByteAddressable()) {
            throw new IllegalStateException(this + " packs " + bits + "-bit elements; it has no per-element byte size");
        }
        return bits / 8;
    }

    /**
     * Bytes taken by {@code count} elements, as the safetensors format computes it (bits / 8);
     * fails with {@link ArithmeticException} on overflow and {@link IllegalArgumentException}
     * when the elements do not fill whole bytes.
     */
    public long byteSize(long count) {
        long totalBits = Math.multiplyExact(count, (long) bits);
        if (totalBits % 8 != 0) {
            throw new IllegalArgumentException(count + " elements of " + this + " do not fill whole bytes");
        }
        return totalBits / 8;
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
