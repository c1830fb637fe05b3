package org.mmada4j.tensor;

/**
 * Geometry of a 2-D convolution: channels, kernel, stride and zero padding per side.
 *
 * <p>Padding is given per side because MAGVIT's {@code Downsample} pads right and bottom only
 * ({@code F.pad(x, (0, 1, 0, 1))} then a stride-2 3×3 conv without padding), which is the same as
 * one conv with {@code padTop = padLeft = 0, padBottom = padRight = 1}.
 */
public record ConvSpec(int cin, int cout, int kh, int kw, int stride,
                       int padTop, int padLeft, int padBottom, int padRight) {
    public ConvSpec {
        if (cin < 1 || cout < 1 || kh < 1 || kw < 1 || stride < 1) {
            throw new IllegalArgumentException("bad conv geometry " + this);
        }
        if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) {
            throw new IllegalArgumentException("negative padding in " + this);
        }
    }

    /** A k×k conv with PyTorch's symmetric {@code padding=pad}. */
    public static ConvSpec square(int cin, int cout, int k, int stride, int pad) {
        return new ConvSpec(cin, cout, k, k, stride, pad, pad, pad, pad);
    }

    /** Length of the reduced dimension of the GEMM: one output pixel sees kh·kw·cin inputs. */
    public int patch() {
        return kh * kw * cin;
    }

    public int outHeight(int h) {
        return outSize(h, kh, padTop, padBottom);
    }

    public int outWidth(int w) {
        return outSize(w, kw, padLeft, padRight);
    }

    /** True when the conv is a plain matrix product over pixels (1×1, stride 1, no padding). */
    public boolean isPointwise() {
        return kh == 1 && kw == 1 && stride == 1 && padTop == 0 && padLeft == 0 && padBottom == 0 && padRight == 0;
    }

    private int outSize(int in, int k, int before, int after) {
        int span = in + before + after - k;
        if (in < 1 || span < 0) {
            throw new IllegalArgumentException("input extent " + in + " is smaller than the kernel " + k
                    + " with padding " + before + "+" + after);
        }
        return span / stride + 1;
    }
}
