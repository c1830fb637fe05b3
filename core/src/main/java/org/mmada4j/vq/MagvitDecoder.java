package org.mmada4j.vq;

import java.util.ArrayList;
import java.util.List;
import org.mmada4j.tensor.ComputePool;

/**
 * {@code VQGANDecoder} of {@code models/modeling_magvitv2.py}: quantized latent {@code [gh, gw, z]} to
 * pixels {@code [gh·f, gw·f, out_ch]} (raw, before the {@code (x+1)/2} clamp).
 *
 * <pre>
 * post_quant_conv 1×1 → conv_in 3×3 → mid: Res, Attn, Res → levels L−1..0: num_res_blocks[l] ×
 * ResnetBlock (+ AttnBlock when the resolution is in attn_resolutions), Upsample (nearest ×2, conv
 * 3×3) unless level 0 → norm_out, swish, conv_out 3×3
 * </pre>
 * Checkpoint names index levels as {@code up.{l}}; {@code up.{L−1}} runs first.
 */
final class MagvitDecoder {
    private final ConvLayer postQuantConv;
    private final ConvLayer convIn;
    private final ResnetBlock midBlock1;
    private final AttnBlock midAttn;
    private final ResnetBlock midBlock2;
    private final List<Level> levels; // in execution order: level L−1 first
    private final NormLayer normOut;
    private final ConvLayer convOut;

    /** One resolution: blocks, optional attentions, and the upsampling conv (null on level 0). */
    private record Level(List<ResnetBlock> blocks, List<AttnBlock> attns, ConvLayer upsample) {
    }

    private MagvitDecoder(ConvLayer postQuantConv, ConvLayer convIn, ResnetBlock midBlock1, AttnBlock midAttn,
                          ResnetBlock midBlock2, List<Level> levels, NormLayer normOut, ConvLayer convOut) {
        this.postQuantConv = postQuantConv;
        this.convIn = convIn;
        this.midBlock1 = midBlock1;
        this.midAttn = midAttn;
        this.midBlock2 = midBlock2;
        this.levels = levels;
        this.normOut = normOut;
        this.convOut = convOut;
    }

    static MagvitDecoder bind(WeightBinder wb, MagvitConfig.Coder c) {
        String p = "decoder.";
        int blockIn = c.channels(c.levels() - 1);
        int res = c.resolution() >> (c.levels() - 1);
        ConvLayer postQuant = ConvLayer.conv1(wb, p + "post_quant_conv", c.zChannels(), c.zChannels());
        ConvLayer convIn = ConvLayer.conv3(wb, p + "conv_in", c.zChannels(), blockIn);
        ResnetBlock mid1 = ResnetBlock.bind(wb, p + "mid.block_1", blockIn, blockIn);
        AttnBlock midAttn = AttnBlock.bind(wb, p + "mid.attn_1", blockIn);
        ResnetBlock mid2 = ResnetBlock.bind(wb, p + "mid.block_2", blockIn, blockIn);
        List<Level> levels = new ArrayList<>();
        for (int l = c.levels() - 1; l >= 0; l--) {
            int blockOut = c.channels(l);
            List<ResnetBlock> blocks = new ArrayList<>();
            List<AttnBlock> attns = new ArrayList<>();
            for (int i = 0; i < c.numResBlocks().get(l); i++) {
                blocks.add(ResnetBlock.bind(wb, p + "up." + l + ".block." + i, blockIn, blockOut));
                blockIn = blockOut;
                if (c.attnResolutions().contains(res)) {
                    attns.add(AttnBlock.bind(wb, p + "up." + l + ".attn." + i, blockIn));
                }
            }
            ConvLayer up = null;
            if (l != 0) {
                up = ConvLayer.conv3(wb, p + "up." + l + ".upsample.conv", blockIn, blockIn);
                res *= 2;
            }
            levels.add(new Level(blocks, attns, up));
        }
        return new MagvitDecoder(postQuant, convIn, mid1, midAttn, mid2, levels,
                NormLayer.bind(wb, p + "norm_out", blockIn),
                ConvLayer.conv3(wb, p + "conv_out", blockIn, c.outCh()));
    }

    FeatureMap forward(ComputePool pool, FeatureMap z) {
        FeatureMap h = convIn.forward(pool, postQuantConv.forward(pool, z));
        h = midBlock1.forward(pool, h);
        h = midAttn.forward(pool, h);
        h = midBlock2.forward(pool, h);
        for (Level level : levels) {
            for (int i = 0; i < level.blocks().size(); i++) {
                h = level.blocks().get(i).forward(pool, h);
                if (!level.attns().isEmpty()) {
                    h = level.attns().get(i).forward(pool, h);
                }
            }
            if (level.upsample() != null) {
                h = level.upsample().forward(pool, h.upsampleNearest2x());
            }
        }
        return convOut.forward(pool, normOut.forward(pool, h, true));
    }

    /** Multiply-adds of one forward on a {@code gh×gw} code grid. */
    long macs(int gh, int gw) {
        long m = postQuantConv.macs(gh, gw) + convIn.macs(gh, gw)
                + midBlock1.macs(gh, gw) + midAttn.macs(gh, gw) + midBlock2.macs(gh, gw);
        for (Level level : levels) {
            for (int i = 0; i < level.blocks().size(); i++) {
                m += level.blocks().get(i).macs(gh, gw);
                if (!level.attns().isEmpty()) {
                    m += level.attns().get(i).macs(gh, gw);
                }
            }
            if (level.upsample() != null) {
                gh *= 2;
                gw *= 2;
                m += level.upsample().macs(gh, gw);
            }
        }
        return m + convOut.macs(gh, gw);
    }
}
