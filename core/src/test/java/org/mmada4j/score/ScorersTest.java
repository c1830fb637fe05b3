package org.mmada4j.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmada4j.vq.RgbImage;

class ScorersTest {
    static RgbImage solid(int w, int h, int r, int g, int b) {
        byte[] rgb = new byte[w * h * 3];
        for (int p = 0; p < w * h; p++) {
            rgb[3 * p] = (byte) r;
            rgb[3 * p + 1] = (byte) g;
            rgb[3 * p + 2] = (byte) b;
        }
        return new RgbImage(w, h, rgb);
    }

    @Test
    void colourScoreIsOneMinusTheNormalisedDistanceOfTheMeanColour() {
        ColorAlignmentScorer s = new ColorAlignmentScorer();
        RgbImage red = solid(4, 3, 255, 0, 0);
        RgbImage black = solid(4, 3, 0, 0, 0);
        // half the pixels red, half black: mean (127.5, 0, 0)
        RgbImage half = new RgbImage(2, 1, new byte[] {(byte) 255, 0, 0, 0, 0, 0});
        double[] v = s.score(List.of(red, black, half, red, red),
                List.of("A RED square", "a red square", "a red square", "a dark-blue sky, red sun", "no colour here"));
        assertEquals(1.0, v[0], 1e-12);
        assertEquals(1 - 255 / (255 * Math.sqrt(3)), v[1], 1e-12);
        assertEquals(1 - 127.5 / (255 * Math.sqrt(3)), v[2], 1e-12);
        assertEquals(1 - Math.sqrt(2 * 255.0 * 255) / (255 * Math.sqrt(3)), v[3], 1e-12, "first colour word (blue) wins");
        assertEquals(0.0, v[4]);
        assertThrows(IllegalArgumentException.class, () -> s.score(List.of(red), List.of()));
    }

    @Test
    void weightedSpecsSumTheirTermsAndNameTheFaultyTerm() {
        WeightedScorers w = WeightedScorers.parse("color:1.0, color:0.25", Path.of("."), "t2i_rewards");
        assertEquals(2, w.terms().size());
        RgbImage black = solid(2, 2, 0, 0, 0);
        double one = 1 - 1 / Math.sqrt(3);
        assertArrayEquals(new double[] {1.25 * one, 0}, w.score(List.of(black, black), List.of("red", "nothing")), 1e-12);
        assertEquals("1.0*color+0.25*color", w.name());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WeightedScorers.parse("color:1.0,clip:models/clip:0.1", Path.of("."), "run.properties: t2i_rewards"));
        assertTrue(e.getMessage().contains("unknown reward scorer kind 'clip'") && e.getMessage().contains("t2i_rewards")
                && e.getMessage().contains("known: color"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WeightedScorers.parse("color", Path.of("."), "k"));
        assertTrue(e.getMessage().contains("no weight"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WeightedScorers.parse("color:x", Path.of("."), "k"));
        assertTrue(e.getMessage().contains("not a number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WeightedScorers.parse("color:dir:1", Path.of("."), "k"));
        assertTrue(e.getMessage().contains("takes no argument"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WeightedScorers.parse(" ", Path.of("."), "k"));
    }
}
