package org.mmada4j.tensor;

import java.util.Arrays;

/**
 * 2-D convolution (PyTorch {@code nn.Conv2d} semantics: cross-correlation, zero padding, bias) over
 * channels-last feature maps, computed by the GEMM engine.
 *
 * <p>Legend: {@code h, w} input extent, {@code ho, wo} output extent, {@code cin, cout} channels,
 * {@code kh, kw} kernel. Feature maps are {@code [h, w, c]} (channels-last: one pixel's channels are
 * contiguous), so a 1×1 conv is one GEMM with no copy, and an im2col row — the receptive field of
 * one output pixel — is {@code kh·kw} contiguous runs of {@code cin} values.
 *
 * <p>Weights are repacked once by {@link #packWeight} from PyTorch's {@code [cout, cin, kh, kw]} to
 * {@code [cout, kh, kw, cin]}, matching the im2col row order. Then for a tile of output pixels
 * {@code out[p, :] = bias + cols[p, :] · Wᵀ} is {@link Gemm#matmulNT} with the weight as B, i.e. the
 * same code path (and speed) as a linear layer. Tiles bound the im2col buffer to {@link #TILE_FLOATS}
 * floats; the GEMM parallelises each tile over the pool. Results do not depend on the thread count
 * because the tiling depends only on the problem size.
 */
public final class Conv2d {
    /**
     * Upper bound of the im2col scratch in floats (16 MiB; knob {@code mmada4j.conv.tileFloats}): large
     * enough that each GEMM call has thousands of rows: 2^18 measured ~30 % slower at 128 px, 2^21..2^24 within noise.
     */
    static final int TILE_FLOATS = Integer.getInteger("mmada4j.conv.tileFloats", 1 << 22);
    /** Pixels per im2col task: enough copying per task to amortise the hand-off. */
    private static final int IM2COL_CHUNK = 64;

    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    private Conv2d() {
    }

    /** PyTorch {@code [cout, cin, kh, kw]} weight (any float dtype) to F32 {@code [cout, kh·kw·cin]}. */
    public static Tensor packWeight(Tensor weight) {
        if (weight.rank() != 4) {
            throw new IllegalArgumentException("conv weight must be [cout, cin, kh, kw], got " + weight);
        }
        int cout = (int) weight.dim(0);
        int cin = (int) weight.dim(1);
        int kh = (int) weight.dim(2);
        int kw = (int) weight.dim(3);
        float[] src = weight.toFloatArray();
        float[] dst = new float[src.length];
        int patch = kh * kw * cin;
        for (int o = 0; o < cout; o++) {
            for (int i = 0; i < cin; i++) {
                for (int y = 0; y < kh; y++) {
                    for (int x = 0; x < kw; x++) {
                        dst[o * patch + (y * kw + x) * cin + i] = src[((o * cin + i) * kh + y) * kw + x];
                    }
                }
            }
        }
        return Tensor.ofFloats(dst, cout, patch);
    }

    /**
     * {@code out[ho, wo, cout] = conv(in[h, w, cin])}.
     *
     * @param packed weight from {@link #packWeight}, {@code [cout, kh·kw·cin]}
     * @param bias   {@code [cout]}, or null for none
     * @param out    at least {@code ho·wo·cout} floats; overwritten
     */
    public static void forward(ComputePool pool, ConvSpec s, float[] in, int h, int w,
                               Tensor packed, float[] bias, float[] out) {
        if (packed.rank() != 2 || packed.dim(0) != s.cout() || packed.dim(1) != s.patch()) {
            throw new IllegalArgumentException("packed conv weight " + packed + " does not match " + s);
        }
        run(pool, s, in, h, w, bias, out, (a, lda, c, cOff, m) ->
                Gemm.matmulNT(pool, a, 0, lda, packed, 0, c, cOff, s.cout(), m, s.cout(), lda, true));
    }

    /**
     * The same with the weight in {@link Gemm}'s panel layout ({@link PackedWeight#pack} of
     * {@link #packWeight}'s output): no per-call packing of B; bit-identical results.
     */
    public static void forward(ComputePool pool, ConvSpec s, float[] in, int h, int w,
                               PackedWeight packed, float[] bias, float[] out) {
        if (packed.n() != s.cout() || packed.k() != s.patch()) {
            throw new IllegalArgumentException("packed conv weight [" + packed.n() + ", " + packed.k()
                    + "] does not match " + s);
        }
        run(pool, s, in, h, w, bias, out, (a, lda, c, cOff, m) ->
                Gemm.matmulNT(pool, a, 0, lda, packed, c, cOff, s.cout(), m, true));
    }

    /** {@code C[m, cout] += A[m, lda] · Wᵀ} for one tile, C starting at {@code cOff}. */
    private interface TileProduct {
        void run(float[] a, int lda, float[] c, int cOff, int m);
    }

    private static void run(ComputePool pool, ConvSpec s, float[] in, int h, int w, float[] bias, float[] out,
                            TileProduct product) {
        int ho = s.outHeight(h);
        int wo = s.outWidth(w);
        int patch = s.patch();
        checkShapes(s, in, h, w, bias, out, ho * wo);
        int pixels = ho * wo;
        fillBias(out, pixels, s.cout(), bias);
        if (s.isPointwise()) {
            product.run(in, s.cin(), out, 0, pixels);
            return;
        }
        int tile = Math.max(1, Math.min(pixels, TILE_FLOATS / patch));
        float[] cols = scratch(tile * patch);
        for (int p0 = 0; p0 < pixels; p0 += tile) {
            int n = Math.min(tile, pixels - p0);
            int start = p0;
            int chunks = (n + IM2COL_CHUNK - 1) / IM2COL_CHUNK;
            pool.parallelFor(chunks, c -> {
                int from = start + c * IM2COL_CHUNK;
                int to = Math.min(start + n, from + IM2COL_CHUNK);
                im2col(s, in, h, w, wo, from, to, cols, (from - start) * patch);
            });
            product.run(cols, patch, out, p0 * s.cout(), n);
        }
    }

    /** Receptive fields of output pixels {@code [from, to)} as rows of {@code cols}, zeros where padded. */
    static void im2col(ConvSpec s, float[] in, int h, int w, int wo, int from, int to, float[] cols, int colsOff) {
        int cin = s.cin();
        int rowLen = s.kw() * cin;
        int d = colsOff;
        for (int p = from; p < to; p++) {
            int oy = p / wo;
            int ox = p - oy * wo;
            int x0 = ox * s.stride() - s.padLeft();
            // Columns of the kernel that fall inside the image: a contiguous run in channels-last layout.
            int kx0 = Math.max(0, -x0);
            int kx1 = Math.min(s.kw(), w - x0);
            for (int ky = 0; ky < s.kh(); ky++) {
                int iy = oy * s.stride() - s.padTop() + ky;
                if (iy < 0 || iy >= h || kx0 >= kx1) {
                    Arrays.fill(cols, d, d + rowLen, 0f);
                } else {
                    if (kx0 > 0) {
                        Arrays.fill(cols, d, d + kx0 * cin, 0f);
                    }
                    System.arraycopy(in, (iy * w + x0 + kx0) * cin, cols, d + kx0 * cin, (kx1 - kx0) * cin);
                    if (kx1 < s.kw()) {
                        Arrays.fill(cols, d + kx1 * cin, d + rowLen, 0f);
                    }
                }
                d += rowLen;
            }
        }
    }

    private static void fillBias(float[] out, int pixels, int cout, float[] bias) {
        if (bias == null) {
            Arrays.fill(out, 0, pixels * cout, 0f);
            return;
        }
        for (int p = 0; p < pixels; p++) {
            System.arraycopy(bias, 0, out, p * cout, cout);
        }
    }

    private static float[] scratch(int n) {
        float[] buf = SCRATCH.get();
        if (buf.length < n) {
            buf = new float[n];
            SCRATCH.set(buf);
        }
        return buf;
    }

    private static void checkShapes(ConvSpec s, float[] in, int h, int w, float[] bias, float[] out, int outPixels) {
        if (in.length < (long) h * w * s.cin()) {
            throw new IllegalArgumentException("conv input has " + in.length + " floats, needs " + h + "x" + w + "x" + s.cin());
        }
        if (bias != null && bias.length != s.cout()) {
            throw new IllegalArgumentException("conv bias has " + bias.length + " values, needs " + s.cout());
        }
        if (out.length < (long) outPixels * s.cout()) {
            throw new IllegalArgumentException("conv output has " + out.length + " floats, needs " + outPixels * s.cout());
        }
    }
}
