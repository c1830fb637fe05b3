package org.mmada4j.score;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mmada4j.vq.RgbImage;

/**
 * A toy image–text alignment scorer for tests and smoke runs, usable without downloaded weights: the
 * text names a colour from a fixed table (the first colour word wins, case-insensitive), and the score
 * is how close the image's mean colour is to it, {@code 1 − ‖mean − named‖ / (255·√3)} ∈ [0, 1]
 * (Euclidean distance in 8-bit RGB). A text naming no colour scores 0 for every image, so its group
 * gets zero advantages. It measures colour only — it is not a stand-in for CLIP's judgement.
 */
public final class ColorAlignmentScorer implements ImageTextScorer {
    /** The colour words and their sRGB values (CSS names, with saturated primaries). */
    public static final Map<String, int[]> COLORS = table();

    private static final double MAX_DISTANCE = 255 * Math.sqrt(3);

    private static Map<String, int[]> table() {
        Map<String, int[]> m = new LinkedHashMap<>();
        m.put("red", new int[] {255, 0, 0});
        m.put("green", new int[] {0, 255, 0});
        m.put("blue", new int[] {0, 0, 255});
        m.put("yellow", new int[] {255, 255, 0});
        m.put("cyan", new int[] {0, 255, 255});
        m.put("magenta", new int[] {255, 0, 255});
        m.put("orange", new int[] {255, 165, 0});
        m.put("purple", new int[] {128, 0, 128});
        m.put("pink", new int[] {255, 192, 203});
        m.put("brown", new int[] {165, 42, 42});
        m.put("white", new int[] {255, 255, 255});
        m.put("black", new int[] {0, 0, 0});
        m.put("gray", new int[] {128, 128, 128});
        m.put("grey", new int[] {128, 128, 128});
        return java.util.Collections.unmodifiableMap(m);
    }

    @Override
    public double[] score(List<RgbImage> images, List<String> texts) {
        if (images.size() != texts.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + texts.size() + " texts");
        }
        double[] out = new double[images.size()];
        for (int i = 0; i < out.length; i++) {
            int[] named = namedColor(texts.get(i));
            out[i] = named == null ? 0 : 1 - distance(meanColor(images.get(i)), named) / MAX_DISTANCE;
        }
        return out;
    }

    @Override
    public String name() {
        return "color";
    }

    /** The RGB of the first colour word of {@code text}, or null when it names none. */
    public static int[] namedColor(String text) {
        for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
            int[] c = COLORS.get(word);
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    /** Mean R, G, B over all pixels. */
    public static double[] meanColor(RgbImage img) {
        double[] sum = new double[3];
        byte[] rgb = img.rgb();
        for (int p = 0; p < rgb.length; p += 3) {
            for (int c = 0; c < 3; c++) {
                sum[c] += rgb[p + c] & 0xff;
            }
        }
        int n = img.width() * img.height();
        return new double[] {sum[0] / n, sum[1] / n, sum[2] / n};
    }

    private static double distance(double[] a, int[] b) {
        double d = 0;
        for (int c = 0; c < 3; c++) {
            d += (a[c] - b[c]) * (a[c] - b[c]);
        }
        return Math.sqrt(d);
    }
}
