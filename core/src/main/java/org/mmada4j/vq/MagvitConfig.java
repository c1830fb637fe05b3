package org.mmada4j.vq;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Architecture of a MAGVIT-v2 tokenizer: the constructor arguments of {@code VQGANEncoder},
 * {@code VQGANDecoder} and {@code LFQuantizer} ({@code models/modeling_magvitv2.py}).
 *
 * <p>{@link #fromJson}: a {@code config.json} holding {@code encoder}/{@code decoder}/{@code quantizer}
 * objects (as the golden {@code magvit_config.json}) defines the network; any other config (the
 * Hugging Face {@code showlab/magvitv2} one holds no arguments) means the real model, {@link #real()}.
 */
public record MagvitConfig(Coder encoder, Coder decoder, int codebookBits) {
    /** Groups of every GroupNorm ({@code Normalize} in {@code common_modules.py}). */
    public static final int NORM_GROUPS = 32;
    /** Epsilon of every GroupNorm. */
    public static final float NORM_EPS = 1e-6f;

    /** Arguments of one side (encoder or decoder); same fields as the reference constructors. */
    public record Coder(int ch, List<Integer> chMult, List<Integer> numResBlocks, List<Integer> attnResolutions,
                        int inCh, int outCh, int resolution, int zChannels) {
        public Coder {
            chMult = List.copyOf(chMult);
            numResBlocks = List.copyOf(numResBlocks);
            attnResolutions = List.copyOf(attnResolutions);
        }

        public int levels() {
            return chMult.size();
        }

        /** Channels of level {@code i}: {@code ch·ch_mult[i]}. */
        public int channels(int level) {
            return ch * chMult.get(level);
        }
    }

    public MagvitConfig {
        check(encoder, "encoder");
        check(decoder, "decoder");
        if (encoder.zChannels() != codebookBits || decoder.zChannels() != codebookBits) {
            throw new IllegalArgumentException("z_channels (encoder " + encoder.zChannels() + ", decoder "
                    + decoder.zChannels() + ") must equal the quantizer's codebook_dim " + codebookBits);
        }
        if (codebookBits < 1 || codebookBits > 30) {
            throw new IllegalArgumentException("codebook_dim " + codebookBits + " outside [1, 30]");
        }
    }

    /** The released MAGVIT-v2 (Show-o / MMaDA): 13 bits, 16× downsampling, ~95.4 M parameters. */
    public static MagvitConfig real() {
        Coder enc = new Coder(128, List.of(1, 2, 2, 4, 4), List.of(4, 3, 4, 3, 4), List.of(5), 3, 3, 256, 13);
        Coder dec = new Coder(128, List.of(1, 1, 2, 2, 4), List.of(4, 4, 3, 4, 3), List.of(5), 3, 3, 256, 13);
        return new MagvitConfig(enc, dec, 13);
    }

    /** From a {@code config.json}; {@code source} names the file in error messages. */
    public static MagvitConfig fromJson(JsonNode root, String source) {
        if (!root.has("encoder") && !root.has("decoder") && !root.has("quantizer")) {
            return real();
        }
        try {
            MagvitConfig defaults = real();
            Coder enc = coder(root.path("encoder"), defaults.encoder(), "encoder");
            Coder dec = coder(root.path("decoder"), defaults.decoder(), "decoder");
            int bits = root.path("quantizer").path("codebook_dim").asInt(defaults.codebookBits());
            return new MagvitConfig(enc, dec, bits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /** Total downsampling of the encoder: one stride-2 conv per level but the last. */
    public int downsampleFactor() {
        return 1 << (encoder.levels() - 1);
    }

    /** Total upsampling of the decoder: one nearest ×2 per level but level 0 (equal to the downsampling
     * factor in every released configuration, but the reference does not require it). */
    public int upsampleFactor() {
        return 1 << (decoder.levels() - 1);
    }

    public int codebookSize() {
        return 1 << codebookBits;
    }

    private static Coder coder(JsonNode n, Coder d, String side) {
        if (n.path("double_z").asBoolean(false)) {
            throw new IllegalArgumentException(side + ".double_z = true is not supported (LFQ takes z_channels)");
        }
        return new Coder(n.path("ch").asInt(d.ch()), ints(n, "ch_mult", d.chMult(), side),
                ints(n, "num_res_blocks", d.numResBlocks(), side), ints(n, "attn_resolutions", d.attnResolutions(), side),
                n.path("in_ch").asInt(d.inCh()), n.path("out_ch").asInt(d.outCh()),
                n.path("resolution").asInt(d.resolution()), n.path("z_channels").asInt(d.zChannels()));
    }

    private static List<Integer> ints(JsonNode n, String field, List<Integer> dflt, String side) {
        JsonNode a = n.get(field);
        if (a == null) {
            return dflt;
        }
        if (!a.isArray()) {
            throw new IllegalArgumentException(side + "." + field + " must be an array of integers");
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode v : a) {
            if (!v.canConvertToInt()) {
                throw new IllegalArgumentException(side + "." + field + " holds a non-integer " + v);
            }
            out.add(v.asInt());
        }
        return out;
    }

    private static void check(Coder c, String side) {
        if (c.levels() < 1 || c.numResBlocks().size() != c.levels()) {
            throw new IllegalArgumentException(side + ": ch_mult has " + c.levels() + " levels but num_res_blocks "
                    + c.numResBlocks().size());
        }
        if (c.ch() < 1 || c.inCh() < 1 || c.outCh() < 1 || c.resolution() < 1) {
            throw new IllegalArgumentException(side + ": channels and resolution must be positive");
        }
        for (int i = 0; i < c.levels(); i++) {
            if (c.chMult().get(i) < 1 || c.numResBlocks().get(i) < 0) {
                throw new IllegalArgumentException(side + ": bad ch_mult/num_res_blocks at level " + i);
            }
            if (c.channels(i) % NORM_GROUPS != 0) {
                throw new IllegalArgumentException(side + ": level " + i + " has " + c.channels(i)
                        + " channels, not a multiple of the " + NORM_GROUPS + " GroupNorm groups");
            }
        }
    }
}
