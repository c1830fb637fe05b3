package org.mmada4j.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The statistics of {@code debug grpo-toy}, checked against values worked out by hand; and its toy reward. */
class CurveStatsTest {
    // three seeds × four steps
    private final double[][] curves = {{0.0, 0.5, 0.5, 1.0}, {0.2, 0.2, 0.6, 0.6}, {0.4, 0.2, 0.7, 0.5}};

    @Test
    void meanAndStandardErrorPerStep() {
        assertArrayEquals(new double[] {0.2, 0.3, 0.6, 0.7}, CurveStats.meanCurve(curves), 1e-12);
        // step 1: values 0, .2, .4 → sample std .2, SE .2/√3
        assertEquals(0.2 / Math.sqrt(3), CurveStats.standardErrorCurve(curves)[0], 1e-12);
        // step 3: .5, .6, .7 → std .1
        assertEquals(0.1 / Math.sqrt(3), CurveStats.standardErrorCurve(curves)[2], 1e-12);
    }

    @Test
    void finalRewardsAndSteadiness() {
        assertArrayEquals(new double[] {0.75, 0.6, 0.6}, CurveStats.finalRewards(curves, 2), 1e-12);
        assertArrayEquals(new double[] {0.5, 0.4, 0.45}, CurveStats.finalRewards(curves, 4), 1e-12);
        assertArrayEquals(new double[] {0.5, 0.4, 0.45}, CurveStats.finalRewards(curves, 99), 1e-12);
        // seed 0: |.5|+0+|.5| over 3 changes; seed 1: 0+.4+0; seed 2: .2+.5+.2
        assertArrayEquals(new double[] {1.0 / 3, 0.4 / 3, 0.9 / 3}, CurveStats.meanAbsoluteChange(curves), 1e-12);
    }

    @Test
    void pairedDifferenceUsesStudentT() {
        double[] a = {1.0, 2.0, 3.0, 4.0};
        double[] b = {0.5, 1.0, 2.5, 3.0};
        // differences .5, 1, .5, 1: mean .75, sample std √(4·.0625/3), SE = std/2, t(3) = 3.1824
        CurveStats.Estimate e = CurveStats.pairedDifference(a, b);
        double se = Math.sqrt(0.25 / 3) / 2;
        assertEquals(0.75, e.mean(), 1e-12);
        assertEquals(se, e.se(), 1e-12);
        assertEquals(0.75 - 3.1824 * se, e.lo95(), 1e-9);
        assertEquals(0.75 + 3.1824 * se, e.hi95(), 1e-9);
        assertEquals(4, e.n());
        assertThrows(IllegalArgumentException.class, () -> CurveStats.pairedDifference(a, new double[] {1}));
    }

    @Test
    void studentQuantilesFromTableAndExpansion() {
        assertEquals(12.7062, CurveStats.studentT975(1), 1e-4);
        assertEquals(2.1314, CurveStats.studentT975(15), 1e-4);
        assertEquals(2.0423, CurveStats.studentT975(30), 1e-4);
        // beyond the table: t(40) = 2.0211, t(120) = 1.9799 (standard tables)
        assertEquals(2.0211, CurveStats.studentT975(40), 2e-4);
        assertEquals(1.9799, CurveStats.studentT975(120), 2e-4);
    }

    @Test
    void repeatToyReward() {
        assertEquals(1.0, RepeatToy.REWARD.score("abcdabcd", ""), 1e-12);
        assertEquals(0.0, RepeatToy.REWARD.score("aaaaaaaa", ""), 1e-12);
        assertEquals(0.0, RepeatToy.REWARD.score("abcdbadc", ""), 1e-12);
        assertEquals(0.5, RepeatToy.REWARD.score("abcaabca", ""), 1e-12);
        // MASK and prompt characters never count
        assertEquals(0.25, RepeatToy.REWARD.score("a_#ba_#c", ""), 1e-12);
        assertEquals("#rep:", RepeatToy.TOKENIZER.decode(RepeatToy.prompt(), true));
    }

    @Test
    void bandPlotRenders(@TempDir Path tmp) throws Exception {
        Path png = tmp.resolve("bands.png");
        LossCurvePlot.renderPanels(List.of(new LossCurvePlot.Panel("a", Map.of("x", List.of(new double[] {1, 0.2, 0.1, 0.3},
                new double[] {2, 0.4, 0.3, 0.5}))), new LossCurvePlot.Panel("b", Map.of())), png);
        assertEquals(1600, javax.imageio.ImageIO.read(png.toFile()).getWidth());
        assertEquals(true, Files.size(png) > 0);
    }
}
