package org.mmada4j.vq;

import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.Conv2d;
import org.mmada4j.tensor.ConvSpec;
import org.mmada4j.tensor.PackedWeight;
import org.mmada4j.tensor.Tensor;

/** One {@code nn.Conv2d} with bias: its geometry, its weight repacked for {@link Conv2d}, its bias. */
final class ConvLayer {
    private final ConvSpec spec;
    private final PackedWeight packed; // [cout, kh·kw·cin] in Gemm's panel layout
    private final float[] bias;  // [cout]

    private ConvLayer(ConvSpec spec, PackedWeight packed, float[] bias) {
        this.spec = spec;
        this.packed = packed;
        this.bias = bias;
    }

    /** Binds {@code prefix.weight [cout, cin, kh, kw]} and {@code prefix.bias [cout]}. */
    static ConvLayer bind(WeightBinder wb, String prefix, ConvSpec spec) {
        Tensor w = wb.take(prefix + ".weight", spec.cout(), spec.cin(), spec.kh(), spec.kw());
        float[] b = wb.vector(prefix + ".bias", spec.cout());
        if (wb.isDryRun()) {
            return new ConvLayer(spec, null, b);
        }
        // Repacked once at load: [cout, cin, kh, kw] -> [cout, kh·kw·cin] -> GEMM panels.
        return new ConvLayer(spec, PackedWeight.pack(ComputePool.shared(), Conv2d.packWeight(w)), b);
    }

    /** 3×3, stride 1, padding 1: every conv of the blocks, conv_in and conv_out. */
    static ConvLayer conv3(WeightBinder wb, String prefix, int cin, int cout) {
        return bind(wb, prefix, ConvSpec.square(cin, cout, 3, 1, 1));
    }

    /** 1×1: shortcuts, attention projections, quant_conv and post_quant_conv. */
    static ConvLayer conv1(WeightBinder wb, String prefix, int cin, int cout) {
        return bind(wb, prefix, ConvSpec.square(cin, cout, 1, 1, 0));
    }

    /** Downsample: {@code F.pad(x, (0, 1, 0, 1))} then 3×3 stride 2 without padding. */
    static ConvLayer downsample(WeightBinder wb, String prefix, int c) {
        return bind(wb, prefix, new ConvSpec(c, c, 3, 3, 2, 0, 0, 1, 1));
    }

    ConvSpec spec() {
        return spec;
    }

    FeatureMap forward(ComputePool pool, FeatureMap x) {
        if (x.c() != spec.cin()) {
            throw new IllegalArgumentException("conv expects " + spec.cin() + " input channels, got " + x.c());
        }
        FeatureMap y = FeatureMap.zeros(spec.outHeight(x.h()), spec.outWidth(x.w()), spec.cout());
        Conv2d.forward(pool, spec, x.data(), x.h(), x.w(), packed, bias, y.data());
        return y;
    }

    /** Multiply-adds of one forward on an {@code h×w} input (for GFLOP/s reports). */
    long macs(int h, int w) {
        return (long) spec.outHeight(h) * spec.outWidth(w) * spec.cout() * spec.patch();
    }
}
