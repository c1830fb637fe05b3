package org.mmada4j.vq;

import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.VectorOps;

/**
 * {@code ResnetBlock} of {@code common_modules.py} without time embedding or dropout:
 * {@code h = conv1(swish(norm1(x))); h = conv2(swish(norm2(h))); out = shortcut(x) + h}, the
 * shortcut a 1×1 {@code nin_shortcut} iff the channel count changes.
 */
final class ResnetBlock {
    private final NormLayer norm1;
    private final ConvLayer conv1;
    private final NormLayer norm2;
    private final ConvLayer conv2;
    private final ConvLayer ninShortcut; // null when cin == cout

    private ResnetBlock(NormLayer norm1, ConvLayer conv1, NormLayer norm2, ConvLayer conv2, ConvLayer ninShortcut) {
        this.norm1 = norm1;
        this.conv1 = conv1;
        this.norm2 = norm2;
        this.conv2 = conv2;
        this.ninShortcut = ninShortcut;
    }

    static ResnetBlock bind(WeightBinder wb, String prefix, int cin, int cout) {
        return new ResnetBlock(
                NormLayer.bind(wb, prefix + ".norm1", cin),
                ConvLayer.conv3(wb, prefix + ".conv1", cin, cout),
                NormLayer.bind(wb, prefix + ".norm2", cout),
                ConvLayer.conv3(wb, prefix + ".conv2", cout, cout),
                cin != cout ? ConvLayer.conv1(wb, prefix + ".nin_shortcut", cin, cout) : null);
    }

    FeatureMap forward(ComputePool pool, FeatureMap x) {
        FeatureMap h = conv1.forward(pool, norm1.forward(pool, x, true));
        h = conv2.forward(pool, norm2.forward(pool, h, true));
        FeatureMap shortcut = ninShortcut != null ? ninShortcut.forward(pool, x) : x;
        // out = shortcut + h, accumulated into h (a fresh buffer) so x is never modified.
        VectorOps.addInPlace(h.data(), 0, shortcut.data(), 0, h.data().length);
        return h;
    }

    long macs(int hgt, int wid) {
        return conv1.macs(hgt, wid) + conv2.macs(hgt, wid) + (ninShortcut != null ? ninShortcut.macs(hgt, wid) : 0);
    }
}
