package org.mmada4j.vq;

/**
 * {@code LFQuantizer} of {@code models/modeling_magvitv2.py} at inference: no codebook lookup, each of
 * the {@code bits} latent channels is one bit of the code.
 *
 * <p>Encode: {@code bit_c = z_c > 0}, {@code code = Σ_c bit_c·2^(bits−1−c)} — channel 0 is the most
 * significant bit ({@code power_vals = 2^arange(bits−1, −1, −1)}); z = 0 is bit 0. Decode: the
 * codebook entry of a code is its bits MSB-first mapped {0 → −1, 1 → +1}
 * ({@code embedding = binary·2 − 1}). Codes run row-major over the grid (h outer, w inner).
 */
public final class LookupFreeQuantizer {
    private final int bits;

    public LookupFreeQuantizer(int bits) {
        if (bits < 1 || bits > 30) {
            throw new IllegalArgumentException("LFQ bits must be in [1, 30], got " + bits);
        }
        this.bits = bits;
    }

    public int bits() {
        return bits;
    }

    public int codebookSize() {
        return 1 << bits;
    }

    /** Codes of a latent {@code [h, w, bits]}, row-major. */
    public int[] encode(FeatureMap z) {
        if (z.c() != bits) {
            throw new IllegalArgumentException("LFQ with " + bits + " bits got a latent of " + z.c() + " channels");
        }
        int n = z.pixels();
        float[] d = z.data();
        int[] codes = new int[n];
        for (int p = 0; p < n; p++) {
            int code = 0;
            for (int c = 0; c < bits; c++) {
                code = (code << 1) | (d[p * bits + c] > 0f ? 1 : 0);
            }
            codes[p] = code;
        }
        return codes;
    }

    /** The ±1 latent {@code [gh, gw, bits]} of row-major codes; fails naming the first code out of range. */
    public FeatureMap decode(int[] codes, int gh, int gw) {
        if ((long) gh * gw != codes.length) {
            throw new IllegalArgumentException(codes.length + " codes do not fill a " + gh + "x" + gw + " grid");
        }
        FeatureMap z = FeatureMap.zeros(gh, gw, bits);
        float[] d = z.data();
        int size = codebookSize();
        for (int p = 0; p < codes.length; p++) {
            int code = codes[p];
            if (code < 0 || code >= size) {
                throw new IllegalArgumentException("code " + code + " at position " + p + " is outside the codebook [0, "
                        + size + ")");
            }
            for (int c = 0; c < bits; c++) {
                d[p * bits + c] = ((code >>> (bits - 1 - c)) & 1) != 0 ? 1f : -1f;
            }
        }
        return z;
    }
}
