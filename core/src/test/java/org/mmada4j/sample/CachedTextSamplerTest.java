package org.mmada4j.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.mmada4j.sample.CachedTextSampler.Cache;
import org.mmada4j.sample.CachedTextSampler.Options;
import org.mmada4j.testing.GoldenSet;

class CachedTextSamplerTest {
    private static final int MASK = 288;
    private final GoldenSet g = GoldenSet.tiny(); // MASK, 32/8/16 below are tiny's
    private final ModelPredictor exactModel = TextSamplerParityTest.model(g);
    private final int[][] prompt = ImageSamplerParityTest.rows(g, "text_prompt_ids.npy");
    private final TextSamplingParams params = TextSamplingParams.greedy(32, 8, 16);

    private TextSampler.Result run(Options o) {
        return new CachedTextSampler(exactModel.model(), MASK).generate(prompt, null, params, o, new SeededRandom(0),
                TextStepListener.NONE);
    }

    @Test
    void withoutCacheItIsTheExactSampler() {
        TextSampler.Result exact = new TextSampler(exactModel, MASK).generate(prompt, null, params, new SeededRandom(0),
                TextStepListener.NONE);
        TextSampler.Result none = run(new Options(Cache.NONE, 0, -1));
        assertArrayEquals(exact.ids()[0], none.ids()[0]);
        assertEquals(exact.forwardPasses(), none.forwardPasses());
        assertArrayEquals(g.npy("text_gen_ids.npy").toInts(), none.ids()[0]);
    }

    @Test
    void cachesKeepTheStepCountAndFillEveryMask() {
        for (Cache c : new Cache[] {Cache.PREFIX, Cache.DUAL}) {
            TextSampler.Result r = run(new Options(c, 0, -1));
            assertEquals(16, r.forwardPasses(), c + " NFE");
            int[] exact = g.npy("text_gen_ids.npy").toInts();
            int same = 0;
            for (int t = prompt[0].length; t < exact.length; t++) {
                same += exact[t] == r.ids()[0][t] ? 1 : 0;
            }
            System.out.println(c + " cache: " + same + " of 32 tokens as exact");
            // the first step of every block is a full forward: the first block's first commits equal exact's
            int[] golden = g.npy("text_trace_x.npy").toInts();
            int len = r.ids()[0].length;
            int[] afterFirstStep = Arrays.copyOfRange(golden, len, 2 * len);
            for (int t = 0; t < len; t++) {
                if (afterFirstStep[t] != MASK) {
                    assertEquals(afterFirstStep[t], r.ids()[0][t], c + " position " + t);
                }
            }
        }
    }

    @Test
    void thresholdDecodingCommitsInParallel() {
        TextSampler.Result all = run(new Options(Cache.DUAL, 1e-12, -1));
        assertEquals(4, all.forwardPasses(), "every mask above a ~0 threshold: one step per block");
        TextSampler.Result one = run(new Options(Cache.NONE, 1.0, -1));
        assertEquals(32, one.forwardPasses(), "nothing reaches 1.0: one token (the most confident) per step");
        assertTrue(Arrays.stream(one.ids()[0]).noneMatch(x -> x == MASK));
        assertThrows(IllegalArgumentException.class, () -> new Options(Cache.NONE, 1.5, -1));
        assertThrows(IllegalArgumentException.class, () -> new Options(Cache.NONE, Double.NaN, -1));
    }

    @Test
    void earlyStopAfterTheBlockHoldingEndOfText() {
        int[] exact = g.npy("text_gen_ids.npy").toInts();
        int p0 = prompt[0].length;
        int stop = exact[p0 + 8 + 2]; // a token of the second block
        TextSampler.Result r = run(new Options(Cache.NONE, 0, stop));
        assertEquals(8, r.forwardPasses());
        assertEquals(MASK, r.ids()[0][p0 + 16]);
        int firstStop = -1;
        for (int t = p0; t < exact.length; t++) {
            if (exact[t] == stop) {
                firstStop = t;
                break;
            }
        }
        assertEquals(firstStop - p0 + 1, r.generated()[0]);
    }

    /** The cache is used right: a window pass over unchanged tokens reproduces the full pass's logits. */
    @Test
    void windowPassOverUnchangedTokensEqualsTheFullPass() {
        var m = exactModel.model();
        int[] x = g.npy("text_trace_x.npy").toInts();
        int len = x.length / 16;
        int[] ids = Arrays.copyOfRange(x, 5 * len, 6 * len);
        var st = m.newState();
        var cache = m.newKvCache(1, len);
        int bs = prompt[0].length + 8;
        float[] full = m.forward(st, ids, 1, len, null, org.mmada4j.model.LogitsSpec.rows(bs, bs + 8), cache).toArray();
        float[] dual = m.forwardWindow(st, ids, 1, len, bs, bs + 8, null,
                org.mmada4j.model.LogitsSpec.rows(bs, bs + 8), cache).toArray();
        float[] prefix = m.forwardWindow(st, ids, 1, len, bs, len, null,
                org.mmada4j.model.LogitsSpec.rows(bs, bs + 8), cache).toArray();
        org.mmada4j.testing.Assertions2.assertClose("dual window", full, dual, 1e-4, 0);
        org.mmada4j.testing.Assertions2.assertClose("prefix window", full, prefix, 1e-4, 0);
    }
}
