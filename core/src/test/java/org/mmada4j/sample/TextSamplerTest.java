package org.mmada4j.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.mmada4j.testing.GoldenSet;

class TextSamplerTest {
    private static final int MASK = 288;
    private final GoldenSet g = GoldenSet.all().get(0);
    private final ModelPredictor model = TextSamplerParityTest.model(g);

    private int[] prompt(int n, int seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = (i * 37 + seed * 11) % 250;
        }
        p[0] = 256;
        return p;
    }

    @Test
    void transferCountsSplitEvenlyFirstStepsGetTheRemainder() {
        assertArrayEquals(new int[] {3, 3, 2, 2}, TokenPredictions.transferCounts(10, 4));
        assertArrayEquals(new int[] {1, 1, 0, 0}, TokenPredictions.transferCounts(2, 4));
    }

    @Test
    void leftPaddedBatchRowsAreIndependentOfEachOther() {
        int[] a = prompt(12, 1);
        int[] b = prompt(7, 2);
        TextBatch batch = TextBatch.leftPadded(new int[][] {a, b}, 257);
        assertArrayEquals(new int[] {0, 5}, batch.padding());
        TextSamplingParams p = TextSamplingParams.greedy(8, 4, 4);
        TextSampler s = new TextSampler(model, MASK);
        int[][] both = s.generate(batch.ids(), batch.attentionMask(), p, new SeededRandom(0), TextStepListener.NONE).ids();
        // the padded row alone (same padding, same mask) decodes to the same tokens
        int[][] alone = s.generate(new int[][] {batch.ids()[1]}, new int[][] {batch.attentionMask()[1]}, p,
                new SeededRandom(0), TextStepListener.NONE).ids();
        assertArrayEquals(alone[0], both[1]);
        int[][] first = s.generate(new int[][] {a}, null, p, new SeededRandom(0), TextStepListener.NONE).ids();
        assertArrayEquals(first[0], both[0]);
        assertTrue(Arrays.stream(both[1]).noneMatch(x -> x == MASK));
    }

    @Test
    void sameSeedSameOutputWithTemperatureAndRandomRemasking() {
        TextSamplingParams p = new TextSamplingParams(8, 8, 4, 1.0, 0, Remasking.RANDOM, OptionalInt.empty());
        TextSampler s = new TextSampler(model, MASK);
        int[][] in = {prompt(10, 3)};
        int[] x1 = s.generate(in, null, p, new SeededRandom(42), TextStepListener.NONE).ids()[0];
        int[] x2 = s.generate(in, null, p, new SeededRandom(42), TextStepListener.NONE).ids()[0];
        assertArrayEquals(x1, x2);
        boolean differs = false;
        for (long seed = 1; seed < 6 && !differs; seed++) {
            differs = !Arrays.equals(x1, s.generate(in, null, p, new SeededRandom(seed), TextStepListener.NONE).ids()[0]);
        }
        assertTrue(differs, "other seeds give other samples");
    }

    @Test
    void stopsAfterABlockEndingInTheStopToken() {
        TextSampler s = new TextSampler(model, MASK);
        int[][] in = {prompt(10, 4)};
        int[] full = s.generate(in, null, TextSamplingParams.greedy(16, 4, 8), new SeededRandom(0),
                TextStepListener.NONE).ids()[0];
        int stop = full[10 + 3]; // the last token of the first block
        TextSampler.Result r = s.generate(in, null, TextSamplingParams.greedy(16, 4, 8).withStopToken(stop),
                new SeededRandom(0), TextStepListener.NONE);
        assertEquals(2, r.forwardPasses());
        assertEquals(MASK, r.ids()[0][10 + 4]);
        assertArrayEquals(Arrays.copyOf(full, 14), Arrays.copyOf(r.ids()[0], 14));
    }

    @Test
    void infillingKeepsKnownTokensAndFillsEveryMask() {
        int[] x = prompt(20, 5);
        int[] holes = {3, 4, 9, 15};
        for (int h : holes) {
            x[h] = MASK;
        }
        int[] before = x.clone();
        TextSampler.Result r = new TextSampler(model, MASK).fill(new int[][] {x}, null, 0,
                TextSamplingParams.greedy(20, 20, 2), new SeededRandom(0), TextStepListener.NONE);
        for (int t = 0; t < 20; t++) {
            if (before[t] != MASK) {
                assertEquals(before[t], r.ids()[0][t]);
            } else {
                assertNotEquals(MASK, r.ids()[0][t]);
            }
        }
        assertEquals(2, r.forwardPasses());
    }

    @Test
    void badInputFailsBeforeAnyForward() {
        assertThrows(IllegalArgumentException.class, () -> TextSamplingParams.greedy(10, 4, 4));
        assertThrows(IllegalArgumentException.class, () -> TextSamplingParams.greedy(8, 4, 3));
        assertThrows(IllegalArgumentException.class,
                () -> new TextSamplingParams(8, 4, 4, Double.NaN, 0, Remasking.LOW_CONFIDENCE, OptionalInt.empty()));
        assertThrows(IllegalArgumentException.class,
                () -> new TextSamplingParams(8, 4, 4, -1, 0, Remasking.LOW_CONFIDENCE, OptionalInt.empty()));
        assertThrows(IllegalArgumentException.class,
                () -> new TextSamplingParams(8, 4, 4, 0, -2, Remasking.LOW_CONFIDENCE, OptionalInt.empty()));
        assertThrows(IllegalArgumentException.class,
                () -> new TextSamplingParams(8, 4, 4, 0, Double.NaN, Remasking.LOW_CONFIDENCE, OptionalInt.empty()));
        long before = model.forwards();
        TextSampler s = new TextSampler(model, MASK);
        var e = assertThrows(IllegalArgumentException.class, () -> s.generate(new int[][] {{}}, null,
                TextSamplingParams.greedy(8, 4, 4), new SeededRandom(0), TextStepListener.NONE));
        assertTrue(e.getMessage().contains("empty prompt"), e.getMessage());
        int ctx = model.maxSequenceLength();
        e = assertThrows(IllegalArgumentException.class, () -> s.generate(new int[][] {new int[ctx]}, null,
                TextSamplingParams.greedy(8, 4, 4), new SeededRandom(0), TextStepListener.NONE));
        assertTrue(e.getMessage().contains("context"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> s.generate(new int[][] {{1, 2}, {3}}, null,
                TextSamplingParams.greedy(8, 4, 4), new SeededRandom(0), TextStepListener.NONE));
        assertTrue(e.getMessage().contains("left-pad"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> s.generate(new int[][] {{1, 9999}}, null,
                TextSamplingParams.greedy(8, 4, 4), new SeededRandom(0), TextStepListener.NONE));
        assertTrue(e.getMessage().contains("9999"), e.getMessage());
        assertEquals(before, model.forwards());
    }
}
