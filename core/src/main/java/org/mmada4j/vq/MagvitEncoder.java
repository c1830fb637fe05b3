package org.mmada4j.vq;

import java.util.ArrayList;
import java.util.List;
import org.mmada4j.tensor.ComputePool;

/**
 * {@code VQGANEncoder} of {@code models/modeling_magvitv2.py}: image {@code [h, w, in_ch]} to the
 * latent {@code [h/f, w/f, z_channels]} (after {@code quant_conv}, before the quantizer), f = 2^(levels−1).
 *
 * <pre>
 * conv_in 3×3 → per level l: num_res_blocks[l] × ResnetBlock (+ AttnBlock after each when the
 * level's resolution is in attn_resolutions), Downsample unless last → mid: Res, Attn, Res →
 * norm_out, swish, conv_out 3×3 → quant_conv 1×1
 * </pre>
 */
final class MagvitEncoder {
    private final ConvLayer convIn;
    private final List<Level> levels;
    private final ResnetBlock midBlock1;
    private final AttnBlock midAttn;
    private final ResnetBlock midBlock2;
    private final NormLayer normOut;
    private final ConvLayer convOut;
    private final ConvLayer quantConv;

    /** One resolution: its blocks, their optional attentions, and the downsampling conv (null on the last). */
    private record Level(List<ResnetBlock> blocks, List<AttnBlock> attns, ConvLayer downsample) {
    }

    private MagvitEncoder(ConvLayer convIn, List<Level> levels, ResnetBlock midBlock1, AttnBlock midAttn,
                          ResnetBlock midBlock2, NormLayer normOut, ConvLayer convOut, ConvLayer quantConv) {
        this.convIn = convIn;
        this.levels = levels;
        this.midBlock1 = midBlock1;
        this.midAttn = midAttn;
        this.midBlock2 = midBlock2;
        this.normOut = normOut;
        this.convOut = convOut;
        this.quantConv = quantConv;
    }

    static MagvitEncoder bind(WeightBinder wb, MagvitConfig.Coder c) {
        String p = "encoder.";
        ConvLayer convIn = ConvLayer.conv3(wb, p + "conv_in", c.inCh(), c.ch());
        List<Level> levels = new ArrayList<>();
        int res = c.resolution();
        int blockIn = c.ch();
        for (int l = 0; l < c.levels(); l++) {
            int blockOut = c.channels(l);
            List<ResnetBlock> blocks = new ArrayList<>();
            List<AttnBlock> attns = new ArrayList<>();
            for (int i = 0; i < c.numResBlocks().get(l); i++) {
                blocks.add(ResnetBlock.bind(wb, p + "down." + l + ".block." + i, blockIn, blockOut));
                blockIn = blockOut;
                if (c.attnResolutions().contains(res)) {
                    attns.add(AttnBlock.bind(wb, p + "down." + l + ".attn." + i, blockIn));
                }
            }
            ConvLayer down = null;
            if (l != c.levels() - 1) {
                down = ConvLayer.downsample(wb, p + "down." + l + ".downsample.conv", blockIn);
                res /= 2;
            }
            levels.add(new Level(blocks, attns, down));
        }
        return new MagvitEncoder(convIn, levels,
                ResnetBlock.bind(wb, p + "mid.block_1", blockIn, blockIn),
                AttnBlock.bind(wb, p + "mid.attn_1", blockIn),
                ResnetBlock.bind(wb, p + "mid.block_2", blockIn, blockIn),
                NormLayer.bind(wb, p + "norm_out", blockIn),
                ConvLayer.conv3(wb, p + "conv_out", blockIn, c.zChannels()),
                ConvLayer.conv1(wb, p + "quant_conv", c.zChannels(), c.zChannels()));
    }

    FeatureMap forward(ComputePool pool, FeatureMap x) {
        FeatureMap h = convIn.forward(pool, x);
        for (Level level : levels) {
            for (int i = 0; i < level.blocks().size(); i++) {
                h = level.blocks().get(i).forward(pool, h);
                if (!level.attns().isEmpty()) {
                    h = level.attns().get(i).forward(pool, h);
                }
            }
            if (level.downsample() != null) {
                h = level.downsample().forward(pool, h);
            }
        }
        h = midBlock1.forward(pool, h);
        h = midAttn.forward(pool, h);
        h = midBlock2.forward(pool, h);
        h = convOut.forward(pool, normOut.forward(pool, h, true));
        return quantConv.forward(pool, h);
    }

    /** Multiply-adds of one forward on an {@code h×w} image. */
    long macs(int hgt, int wid) {
        long m = convIn.macs(hgt, wid);
        for (Level level : levels) {
            for (int i = 0; i < level.blocks().size(); i++) {
                m += level.blocks().get(i).macs(hgt, wid);
                if (!level.attns().isEmpty()) {
                    m += level.attns().get(i).macs(hgt, wid);
                }
            }
            if (level.downsample() != null) {
                m += level.downsample().macs(hgt, wid);
                hgt = level.downsample().spec().outHeight(hgt);
                wid = level.downsample().spec().outWidth(wid);
            }
        }
        return m + midBlock1.macs(hgt, wid) + midAttn.macs(hgt, wid) + midBlock2.macs(hgt, wid)
                + convOut.macs(hgt, wid) + quantConv.macs(hgt, wid);
    }
}
