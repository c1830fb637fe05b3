package org.mmada4j.vq;

import java.util.Map;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.Tensor;

/**
 * The MAGVIT-v2 image tokenizer ({@code MAGVITv2} of {@code models/modeling_magvitv2.py}): encoder,
 * lookup-free quantizer and decoder, one image at a time.
 *
 * <p>Images are planar {@code [in_ch, h, w]} floats in [−1, 1] (one item of PyTorch's NCHW batch);
 * codes are row-major over the {@code h/f × w/f} grid, f = {@link #downsampleFactor()}. The network is
 * fully convolutional, so any image whose sides are multiples of f works, and decoding takes an
 * explicit grid (the reference decodes only squares, {@code √n × √n}).
 */
public final class Magvit {
    /** Tensors the reference stores as buffers ({@code LFQuantizer.embedding}, {@code power_vals}): recomputable. */
    static final String EMBEDDING = "quantize.embedding";
    static final String POWER_VALS = "quantize.power_vals";

    private final MagvitConfig config;
    private final MagvitEncoder encoder;
    private final MagvitDecoder decoder;
    private final LookupFreeQuantizer quantizer;

    private Magvit(MagvitConfig config, MagvitEncoder encoder, MagvitDecoder decoder) {
        this.config = config;
        this.encoder = encoder;
        this.decoder = decoder;
        this.quantizer = new LookupFreeQuantizer(config.codebookBits());
    }

    /**
     * Binds a state dict by name, strictly: a missing, misshaped or unexpected tensor fails naming it
     * ({@code source} names the file). The LFQ buffers may be present or absent.
     */
    public static Magvit bind(MagvitConfig config, Map<String, Tensor> stateDict, String source) {
        return bind(config, new WeightBinder(stateDict, source));
    }

    static Magvit bind(MagvitConfig config, WeightBinder wb) {
        MagvitEncoder enc = MagvitEncoder.bind(wb, config.encoder());
        MagvitDecoder dec = MagvitDecoder.bind(wb, config.decoder());
        wb.optional(EMBEDDING, config.codebookSize(), config.codebookBits());
        wb.optional(POWER_VALS, config.codebookBits());
        wb.finish();
        return new Magvit(config, enc, dec);
    }

    public MagvitConfig config() {
        return config;
    }

    public LookupFreeQuantizer quantizer() {
        return quantizer;
    }

    public int downsampleFactor() {
        return config.downsampleFactor();
    }

    /** Pixels per code side when decoding: {@code 2^(decoder levels − 1)}. */
    public int upsampleFactor() {
        return config.upsampleFactor();
    }

    /** Encoder output after {@code quant_conv}, before LFQ: {@code [h/f, w/f, bits]} channels-last. */
    public FeatureMap encodeLatent(ComputePool pool, float[] image, int h, int w) {
        int c = config.encoder().inCh();
        int f = downsampleFactor();
        if (image.length != c * h * w) {
            throw new IllegalArgumentException("image of " + image.length + " floats is not " + c + "x" + h + "x" + w);
        }
        if (h % f != 0 || w % f != 0 || h == 0 || w == 0) {
            throw new IllegalArgumentException("image size " + h + "x" + w + " is not a positive multiple of the"
                    + " downsampling factor " + f);
        }
        checkActivationSize(h, w, config.encoder());
        return encoder.forward(pool, FeatureMap.fromPlanar(image, 0, c, h, w));
    }

    /** Codes of one planar image, row-major over the {@code h/f × w/f} grid. */
    public int[] encode(ComputePool pool, float[] image, int h, int w) {
        return quantizer.encode(encodeLatent(pool, image, h, w));
    }

    /**
     * Codes to an 8-bit image as the inference scripts do: codes clamped to {@code [0, codebook)}
     * (a sampler may emit ids outside it), decoded, {@code clamp((x+1)/2, 0, 1)·255} truncated.
     */
    public RgbImage decodeImage(ComputePool pool, int[] codes, int gh, int gw) {
        int max = config().codebookSize() - 1;
        int[] c = new int[codes.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = Math.max(0, Math.min(max, codes[i]));
        }
        int f = upsampleFactor();
        return ImageTransforms.fromModelOutput(decode(pool, c, gh, gw), gw * f, gh * f);
    }

    /** Raw decoder output, planar {@code [out_ch, gh·u, gw·u]} (u = {@link #upsampleFactor()}), of row-major codes on a {@code gh × gw} grid. */
    public float[] decode(ComputePool pool, int[] codes, int gh, int gw) {
        if (gh < 1 || gw < 1) {
            throw new IllegalArgumentException("code grid " + gh + "x" + gw + " must be positive");
        }
        checkActivationSize((long) gh * upsampleFactor(), (long) gw * upsampleFactor(), config.decoder());
        FeatureMap x = decoder.forward(pool, quantizer.decode(codes, gh, gw));
        float[] out = new float[x.data().length];
        x.toPlanar(out, 0);
        return out;
    }

    /** Multiply-adds of encoding an {@code h×w} image (convs and attention). */
    public long encodeMacs(int h, int w) {
        return encoder.macs(h, w);
    }

    /** Multiply-adds of decoding a {@code gh×gw} grid. */
    public long decodeMacs(int gh, int gw) {
        return decoder.macs(gh, gw);
    }

    /**
     * Activations live in Java arrays: every feature map must hold fewer than 2^31 floats. Level l runs
     * at (h/2^l)×(w/2^l) with at most the channels of level l or l+1 (the decoder upsamples before
     * changing width).
     */
    private static void checkActivationSize(long h, long w, MagvitConfig.Coder c) {
        long largest = 0;
        for (int l = 0; l < c.levels(); l++) {
            int ch = Math.max(c.channels(l), c.channels(Math.min(l + 1, c.levels() - 1)));
            largest = Math.max(largest, (h >> l) * (w >> l) * ch);
        }
        if (largest > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("image " + w + "x" + h + " is too large: a feature map of " + largest
                    + " floats exceeds a Java array");
        }
    }

    /** The side of a square grid of {@code n} codes (the reference's {@code int(sqrt(n))}); fails if not square. */
    public static int squareSide(int n) {
        int s = (int) Math.round(Math.sqrt(n));
        if (s * s != n || n == 0) {
            throw new IllegalArgumentException(n + " codes do not form a square grid; give the grid height and width");
        }
        return s;
    }
}
