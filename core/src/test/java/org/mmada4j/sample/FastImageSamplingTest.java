package org.mmada4j.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mmada4j.model.MmadaModel;
import org.mmada4j.prompt.GoldenTokens;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.testing.Assertions2;
import org.mmada4j.testing.GoldenSet;

/** t2i speed-ups: the exact padding skip, and the approximate text-prefix cache with its measured effect. */
class FastImageSamplingTest {
    private final GoldenSet g = GoldenSet.all().get(0);
    private final MmadaModel model = TextSamplerParityTest.model(g).model();
    private final SpecialTokens tok = GoldenTokens.of(g);

    private ImageSampler.Result run(MaskPredictor p, long seed) {
        return new ImageSampler(p, tok).generate(ImageSamplerParityTest.rows(g, "t2i_input_ids.npy"),
                ImageSamplerParityTest.rows(g, "t2i_attention_mask.npy"),
                ImageSamplerParityTest.rows(g, "t2i_uncond_input_ids.npy"),
                ImageSamplerParityTest.rows(g, "t2i_uncond_attention_mask.npy"),
                g.meta().path("t2i").path("resolution_arg").asInt() + 1, ImageSamplerParityTest.params(g),
                new SeededRandom(seed), ImageStepListener.NONE);
    }

    @Test
    void skippingTheLeftPaddingGivesTheFullPassLogits() {
        int[][] ids = new int[2][];
        int[][] masks = new int[2][];
        ids[0] = ImageSamplerParityTest.rows(g, "t2i_input_ids.npy")[0];
        ids[1] = ImageSamplerParityTest.rows(g, "t2i_uncond_input_ids.npy")[0];
        masks[0] = ImageSamplerParityTest.rows(g, "t2i_attention_mask.npy")[0];
        masks[1] = ImageSamplerParityTest.rows(g, "t2i_uncond_attention_mask.npy")[0];
        int len = ids[0].length;
        float[] full = new ModelPredictor(model, false).logits(ids, masks, 0 + len - 17, len - 1, 0, tok.vocabSize());
        float[] skip = new ModelPredictor(model, true).logits(ids, masks, len - 17, len - 1, 0, tok.vocabSize());
        Assertions2.assertClose("padding-skipped logits", full, skip, 1e-5, 0);
        for (long seed = 0; seed < 3; seed++) {
            assertArrayEquals(run(new ModelPredictor(model, false), seed).codes()[0],
                    run(new ModelPredictor(model, true), seed).codes()[0]);
        }
    }

    @Test
    void textPrefixCacheAgreementIsMeasured() {
        int prefix = g.meta().path("t2i").path("resolution_arg").asInt() + 1;
        int same = 0;
        int total = 0;
        for (long seed = 0; seed < 4; seed++) {
            int[] exact = run(new ModelPredictor(model), seed).codes()[0];
            int[] cached = run(new PrefixCachedPredictor(model, prefix, 1000), seed).codes()[0];
            for (int i = 0; i < exact.length; i++) {
                same += exact[i] == cached[i] ? 1 : 0;
                total++;
            }
        }
        double agreement = (double) same / total;
        System.out.printf("t2i text-prefix cache (filled at step 1 only): %.1f%% of codes as exact%n", 100 * agreement);
        // refreshing every step is the exact pass
        assertArrayEquals(run(new ModelPredictor(model), 1).codes()[0],
                run(new PrefixCachedPredictor(model, prefix, 1), 1).codes()[0]);
        assertTrue(agreement > 0.0);
    }
}
