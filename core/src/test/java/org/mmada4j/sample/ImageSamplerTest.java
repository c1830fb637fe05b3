package org.mmada4j.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.mmada4j.prompt.Prompting;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.prompt.TaskSequence;

class ImageSamplerTest {
    private final SpecialTokens tok = new SpecialTokens(256, 257, 257, 288, 260, 261, 262, 263, 264, 265, 266, 267, 268,
            269, 270, 290, 291, 292, 293, 64, 16, 384);
    private final Prompting p = new Prompting(tok);

    /** Deterministic fake model: logits depend on position and the number of masks in the row. */
    private static final class FakeModel implements MaskPredictor {
        int calls;
        int lastBatch;

        @Override
        public int vocabSize() {
            return 384;
        }

        @Override
        public int maxSequenceLength() {
            return 64;
        }

        @Override
        public float[] logits(int[][] ids, int[][] mask, int from, int to, int v0, int v1) {
            calls++;
            lastBatch = ids.length;
            int w = v1 - v0;
            float[] out = new float[ids.length * (to - from) * w];
            for (int r = 0; r < ids.length; r++) {
                for (int t = from; t < to; t++) {
                    for (int v = 0; v < w; v++) {
                        out[(r * (to - from) + t - from) * w + v] = (float) Math.sin(0.37 * v * (t + 1) + r);
                    }
                }
            }
            return out;
        }
    }

    private int[][] one(int[] a) {
        return new int[][] {a};
    }

    @Test
    void everySlotIsFilledAndTheSameSeedGivesTheSameImage() {
        TaskSequence c = p.t2iGen(new int[] {97, 98}, 8, 16);
        TaskSequence u = p.t2iUncond(8, 16);
        FakeModel m = new FakeModel();
        ImageSampler s = new ImageSampler(m, tok);
        var params = new ImageSamplingParams(6, 2f, 1f, MaskSchedule.COSINE);
        var a = s.generate(one(c.ids()), one(c.attentionMask()), one(u.ids()), one(u.attentionMask()), 9, params,
                new SeededRandom(5), ImageStepListener.NONE);
        var b = s.generate(one(c.ids()), one(c.attentionMask()), one(u.ids()), one(u.attentionMask()), 9, params,
                new SeededRandom(5), ImageStepListener.NONE);
        assertArrayEquals(a.codes()[0], b.codes()[0]);
        assertEquals(6, a.forwardPasses());
        assertEquals(2, m.lastBatch, "cond and uncond in one batched forward");
        assertTrue(Arrays.stream(a.codes()[0]).allMatch(x -> x >= 0 && x < 64));
        long masked = Arrays.stream(a.ids()[0]).filter(x -> x == 288).count();
        assertEquals(1, masked, "the last step re-masks exactly one slot in the sequence");
    }

    @Test
    void knownSlotsAreNeverChanged() {
        int[] img = p.masks(16);
        img[3] = tok.imageToken(42);
        img[7] = tok.imageToken(1);
        TaskSequence c = p.t2i(new int[] {97}, img, null, 8, false);
        var r = new ImageSampler(new FakeModel(), tok).generate(one(c.ids()), one(c.attentionMask()), null, null, 9,
                new ImageSamplingParams(5, 0f, 1f, MaskSchedule.LINEAR), new SeededRandom(1),
                (step, n, codes, ids) -> {
                    assertEquals(42, codes[0][3]);
                    assertEquals(tok.imageToken(42), ids[0][9 + 1 + 3]);
                });
        assertEquals(42, r.codes()[0][3]);
        assertEquals(1, r.codes()[0][7]);
    }

    @Test
    void badSettingsFailBeforeAnyForward() {
        assertThrows(IllegalArgumentException.class, () -> new ImageSamplingParams(8, -1f, 1f, MaskSchedule.COSINE));
        assertThrows(IllegalArgumentException.class, () -> new ImageSamplingParams(8, Float.NaN, 1f, MaskSchedule.COSINE));
        assertThrows(IllegalArgumentException.class, () -> new ImageSamplingParams(8, 1f, -0.5f, MaskSchedule.COSINE));
        assertThrows(IllegalArgumentException.class, () -> new ImageSamplingParams(8, 1f, Float.NaN, MaskSchedule.COSINE));
        assertThrows(IllegalArgumentException.class, () -> new ImageSamplingParams(0, 1f, 1f, MaskSchedule.COSINE));
        FakeModel m = new FakeModel();
        TaskSequence c = p.t2iGen(new int[] {97}, 8, 16);
        var params = new ImageSamplingParams(4, 3f, 1f, MaskSchedule.COSINE);
        var e = assertThrows(IllegalArgumentException.class, () -> new ImageSampler(m, tok).generate(one(c.ids()),
                one(c.attentionMask()), null, null, 9, params, new SeededRandom(1), ImageStepListener.NONE));
        assertTrue(e.getMessage().contains("unconditional"), e.getMessage());
        int[] bad = c.ids().clone();
        bad[12] = 5;
        e = assertThrows(IllegalArgumentException.class, () -> new ImageSampler(m, tok).generate(one(bad),
                one(c.attentionMask()), null, null, 9, new ImageSamplingParams(4, 0f, 1f, MaskSchedule.COSINE),
                new SeededRandom(1), ImageStepListener.NONE));
        assertTrue(e.getMessage().contains("position 12"), e.getMessage());
        TaskSequence tooLong = p.t2iGen(new int[] {97}, 60, 16);
        e = assertThrows(IllegalArgumentException.class, () -> new ImageSampler(m, tok).generate(one(tooLong.ids()),
                one(tooLong.attentionMask()), null, null, 61, new ImageSamplingParams(4, 0f, 1f, MaskSchedule.COSINE),
                new SeededRandom(1), ImageStepListener.NONE));
        assertTrue(e.getMessage().contains("context"), e.getMessage());
        assertEquals(0, m.calls);
    }

    @Test
    void schedulesMatchTheReferenceFormulas() {
        assertEquals((float) Math.cos(0.25 * Math.PI / 2), MaskSchedule.COSINE.maskRatio(0.25f), 1e-7);
        assertEquals(1e-6f, MaskSchedule.LINEAR.maskRatio(1f), 0f);
        assertEquals(0.75f, MaskSchedule.LINEAR.maskRatio(0.25f), 1e-7);
        assertEquals(1f - 0.0625f, MaskSchedule.parse("pow2").maskRatio(0.25f), 1e-7);
        // sigmoid(start -3, end 3): (v_end - sigmoid(6t-3)) / (v_end - v_start); t = 0.5 -> exactly 1/2
        assertEquals(0.5f, MaskSchedule.SIGMOID.maskRatio(0.5f), 1e-6);
        assertEquals(1f, MaskSchedule.SIGMOID.maskRatio(0f), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> MaskSchedule.parse("powx"));
        assertThrows(IllegalArgumentException.class, () -> MaskSchedule.parse("square"));
    }
}
