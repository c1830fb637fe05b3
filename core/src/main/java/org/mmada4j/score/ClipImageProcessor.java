package org.mmada4j.score;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.mmada4j.vq.BicubicResampler;
import org.mmada4j.vq.RgbImage;

/**
 * HF's {@code CLIPImageProcessor} on 8-bit RGB images: resize so the shortest side is
 * {@code size.shortest_edge} (the other {@code int(size·long/short)}), PIL bicubic in 8 bits
 * ({@link BicubicResampler}, bit-exact with PIL); center crop with HF's offsets
 * {@code (extent − crop) // 2} (floor, unlike torchvision's round); rescale {@code b·(1/255)} in
 * double then fp32 (as numpy's {@code astype(float64) * scale}); normalise {@code (v − mean)/std} in fp32.
 * Settings come from {@code preprocessor_config.json} when the model directory has one, else
 * OpenAI's (224 px, CLIP mean/std), which every public CLIP-family checkpoint uses. A
 * {@code size} of {@code {"height", "width"}} instead of {@code shortest_edge} resizes to exactly
 * that (aspect ratio not kept), as HF does; {@code resizeWidth}/{@code resizeHeight} are then
 * positive and {@code shortestEdge} is 0.
 */
public record ClipImageProcessor(boolean doResize, int shortestEdge, int resizeWidth, int resizeHeight,
                                 boolean doCenterCrop, int cropWidth,
                                 int cropHeight, boolean doRescale, double rescaleFactor, boolean doNormalize,
                                 float[] mean, float[] std) {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final float[] OPENAI_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    public static final float[] OPENAI_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    /** OpenAI's preprocessing at the given resolution. */
    public static ClipImageProcessor openAi(int size) {
        return new ClipImageProcessor(true, size, 0, 0, true, size, size, true, 1 / 255.0, true, OPENAI_MEAN, OPENAI_STD);
    }

    /** {@code dir/preprocessor_config.json} when present, else {@link #openAi(int)} at {@code imageSize}. */
    public static ClipImageProcessor load(Path dir, int imageSize) throws IOException {
        Path file = dir.resolve("preprocessor_config.json");
        if (!Files.isRegularFile(file)) {
            return openAi(imageSize);
        }
        return parse(JSON.readTree(file.toFile()), file.toString(), imageSize);
    }

    static ClipImageProcessor parse(JsonNode n, String source, int imageSize) {
        int resample = n.path("resample").asInt(3);
        if (resample != 3) {
            throw new IllegalArgumentException(source + ": resample " + resample + " is not supported (only 3, bicubic)");
        }
        JsonNode size = n.path("size");
        boolean exact = size.has("height") && size.has("width") && !size.has("shortest_edge");
        int shortest = exact ? 0 : size.isInt() ? size.asInt() : size.path("shortest_edge").asInt(imageSize);
        int rw = exact ? size.get("width").asInt() : 0;
        int rh = exact ? size.get("height").asInt() : 0;
        if (exact && (rw < 1 || rh < 1)) {
            throw new IllegalArgumentException(source + ": size " + size + " must have positive height and width");
        }
        JsonNode crop = n.path("crop_size");
        int cw = crop.isInt() ? crop.asInt() : crop.path("width").asInt(imageSize);
        int ch = crop.isInt() ? crop.asInt() : crop.path("height").asInt(imageSize);
        return new ClipImageProcessor(n.path("do_resize").asBoolean(true), shortest, rw, rh,
                n.path("do_center_crop").asBoolean(true), cw, ch, n.path("do_rescale").asBoolean(true),
                n.path("rescale_factor").asDouble(1 / 255.0), n.path("do_normalize").asBoolean(true),
                triple(n.path("image_mean"), OPENAI_MEAN, source, "image_mean"),
                triple(n.path("image_std"), OPENAI_STD, source, "image_std"));
    }

    private static float[] triple(JsonNode n, float[] dflt, String source, String field) {
        if (n.isMissingNode() || n.isNull()) {
            return dflt;
        }
        if (!n.isArray() || n.size() != 3) {
            throw new IllegalArgumentException(source + ": " + field + " must be a list of 3 numbers, got " + n);
        }
        return new float[] {(float) n.get(0).asDouble(), (float) n.get(1).asDouble(), (float) n.get(2).asDouble()};
    }

    /** The resized and cropped 8-bit image (before rescaling). */
    public RgbImage resizeAndCrop(RgbImage img) {
        RgbImage cur = img;
        if (doResize) {
            int w = img.width();
            int h = img.height();
            int newW = resizeWidth > 0 ? resizeWidth : w <= h ? shortestEdge : (int) ((long) shortestEdge * w / h);
            int newH = resizeHeight > 0 ? resizeHeight : w <= h ? (int) ((long) shortestEdge * h / w) : shortestEdge;
            if (newW != w || newH != h) {
                cur = BicubicResampler.resize(img, newW, newH);
            }
        }
        if (doCenterCrop) {
            if (cropWidth > cur.width() || cropHeight > cur.height()) {
                throw new IllegalArgumentException("image of " + cur.width() + "x" + cur.height() + " after resizing is"
                        + " smaller than the crop " + cropWidth + "x" + cropHeight);
            }
            cur = cur.crop((cur.width() - cropWidth) / 2, (cur.height() - cropHeight) / 2, cropWidth, cropHeight);
        }
        return cur;
    }

    /** {@code pixel_values} of one image: planar {@code [3, h, w]}. */
    public float[] pixelValues(RgbImage img) {
        RgbImage cur = resizeAndCrop(img);
        int n = cur.width() * cur.height();
        float[] out = new float[3 * n];
        byte[] rgb = cur.rgb();
        for (int p = 0; p < n; p++) {
            for (int c = 0; c < 3; c++) {
                float v = rgb[p * 3 + c] & 0xff;
                if (doRescale) {
                    v = (float) ((rgb[p * 3 + c] & 0xff) * rescaleFactor);
                }
                if (doNormalize) {
                    v = (v - mean[c]) / std[c];
                }
                out[c * n + p] = v;
            }
        }
        return out;
    }

    /** {@code pixel_values} of a batch: planar {@code [batch, 3, h, w]}; every image must end the same size. */
    public float[] pixelValues(List<RgbImage> images) {
        float[] out = null;
        int per = -1;
        for (int i = 0; i < images.size(); i++) {
            float[] one = pixelValues(images.get(i));
            if (out == null) {
                per = one.length;
                out = new float[per * images.size()];
            } else if (one.length != per) {
                throw new IllegalArgumentException("image " + i + " preprocesses to " + one.length
                        + " values, the first to " + per + " (disable center crop only for equal-sized inputs)");
            }
            System.arraycopy(one, 0, out, i * per, per);
        }
        return out == null ? new float[0] : out;
    }
}
