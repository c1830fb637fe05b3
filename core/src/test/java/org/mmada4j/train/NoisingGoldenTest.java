package org.mmada4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mmada4j.testing.GoldenSet;

/**
 * Rebuilds the reference's noised training batch from the texts, codes and recorded torch.rand
 * draws of the training goldens: clean rows, masks, labels, p and answer lengths must match exactly.
 */
@Tag("parity")
class NoisingGoldenTest {

    static List<GoldenSet> sets() {
        return GoldenSet.all();
    }

    @ParameterizedTest
    @MethodSource("sets")
    void t2iRowsMatchReference(GoldenSet g) {
        GoldenTrainingBatch gb = new GoldenTrainingBatch(g);
        TrainingSequences seq = new TrainingSequences(gb.tokens, gb.maxSeq);
        MaskedNoising noising = new MaskedNoising(gb.tokens.mask(), (float) gb.cfg("eps"), (float) gb.cfg("min_masking_rate"));
        int[][] images = new int[gb.bt][];
        for (int r = 0; r < gb.bt; r++) {
            images[r] = gb.imageIds("train_t2i_image_codes.npy", r);
        }
        ReplayRandom rng = new ReplayRandom(gb.floats("train_t2i_timesteps.npy"), gb.floats("train_t2i_rand.npy"),
                gb.floats("train_t2i_cond_dropout_rand.npy"));
        MaskedNoising.ImageNoise noise = noising.noiseImages(images, rng);
        boolean[] drop = MaskedNoising.conditionDropout(gb.bt, (float) gb.cfg("cond_dropout_prob"), rng);
        assertEquals(0, rng.remaining(), "draws consumed");

        float[] ratio = gb.floats("train_t2i_mask_prob.npy");
        float[] num = gb.floats("train_t2i_num_masked.npy");
        long[] imageMask = g.npy("train_t2i_image_mask.npy").longs();
        int[][] clean = gb.rows("train_clean_input_ids.npy", 0, gb.bt);
        int[][] noisy = gb.rows("train_input_ids.npy", 0, gb.bt);
        int[][] labels = gb.rows("train_labels.npy", 0, gb.bt);
        int[][] attn = gb.rows("train_t2i_attention_mask.npy", 0, gb.bt);
        List<String> texts = gb.texts("t2i_texts");
        int n = images[0].length;
        for (int r = 0; r < gb.bt; r++) {
            assertEquals(ratio[r], noise.maskRatio()[r], 1e-6f, "mask ratio row " + r);
            assertEquals((int) num[r], noise.maskedCount()[r], "masked count row " + r);
            for (int j = 0; j < n; j++) {
                assertEquals(imageMask[r * n + j] != 0, noise.masked()[r][j], "image mask row " + r + " pos " + j);
            }
            TrainingSequences.Row row = seq.t2i(gb.encode(texts.get(r)), images[r], drop[r]);
            assertArrayEquals(clean[r], row.ids(), "clean t2i row " + r);
            assertArrayEquals(attn[r], row.mask(), "t2i attention mask row " + r);
            int[] ids = row.ids().clone();
            int[] lab = row.labels().clone();
            int img0 = seq.t2iSoiIndex() + 1;
            System.arraycopy(noise.ids()[r], 0, ids, img0, n);
            System.arraycopy(noise.labels()[r], 0, lab, img0, n);
            assertArrayEquals(noisy[r], ids, "noised t2i row " + r);
            assertArrayEquals(labels[r], lab, "t2i labels row " + r);
        }
    }

    @ParameterizedTest
    @MethodSource("sets")
    void lmRowsMatchReference(GoldenSet g) {
        GoldenTrainingBatch gb = new GoldenTrainingBatch(g);
        TrainingSequences seq = new TrainingSequences(gb.tokens, gb.maxSeq);
        MaskedNoising noising = new MaskedNoising(gb.tokens.mask(), (float) gb.cfg("eps"), (float) gb.cfg("min_masking_rate"));
        List<String> texts = gb.texts("lm_texts");
        int[][] cleanRows = new int[gb.bl][];
        for (int r = 0; r < gb.bl; r++) {
            TrainingSequences.Row row = seq.lm(gb.encode(texts.get(r)), gb.length);
            cleanRows[r] = row.ids();
            assertArrayEquals(gb.rows("train_clean_input_ids.npy", gb.bt, gb.bt + gb.bl)[r], row.ids(), "clean lm row " + r);
            assertArrayEquals(gb.rows("train_labels.npy", gb.bt, gb.bt + gb.bl)[r], row.labels(), "lm labels row " + r);
        }
        ReplayRandom rng = new ReplayRandom(gb.floats("train_lm_t.npy"), gb.floats("train_lm_rand.npy"));
        MaskedNoising.TextNoise noise = noising.noiseText(cleanRows, null, rng);
        assertEquals(0, rng.remaining());
        int[][] noisy = gb.rows("train_input_ids.npy", gb.bt, gb.bt + gb.bl);
        float[] p = gb.floats("train_p_mask_lm.npy");
        for (int r = 0; r < gb.bl; r++) {
            assertArrayEquals(noisy[r], noise.ids()[r], "noised lm row " + r);
            assertEquals(p[r * gb.length], noise.p()[r], 0f, "p of lm row " + r);
        }
    }

    @ParameterizedTest
    @MethodSource("sets")
    void mmuRowsMatchReference(GoldenSet g) {
        GoldenTrainingBatch gb = new GoldenTrainingBatch(g);
        TrainingSequences seq = new TrainingSequences(gb.tokens, gb.maxSeq);
        MaskedNoising noising = new MaskedNoising(gb.tokens.mask(), (float) gb.cfg("eps"), (float) gb.cfg("min_masking_rate"));
        List<String> texts = gb.texts("mmu_texts");
        int from = gb.bt + gb.bl;
        int[][] clean = new int[gb.bm][];
        int[][] prompt = new int[gb.bm][];
        int[][] goldPrompt = gb.rows("train_mmu_prompt_mask.npy", 0, gb.bm);
        int[][] answerLen = gb.rows("train_answer_lengths.npy", 0, gb.bm);
        for (int r = 0; r < gb.bm; r++) {
            TrainingSequences.Row row = seq.mmu(gb.imageIds("train_mmu_image_codes.npy", r), gb.encode(texts.get(r)));
            assertArrayEquals(gb.rows("train_clean_input_ids.npy", from, from + gb.bm)[r], row.ids(), "clean mmu row " + r);
            assertArrayEquals(gb.rows("train_labels.npy", from, from + gb.bm)[r], row.labels(), "mmu labels row " + r);
            assertArrayEquals(goldPrompt[r], row.mask(), "mmu prompt mask row " + r);
            assertEquals(answerLen[r][0], answerLength(row.mask()), "answer length row " + r);
            clean[r] = row.ids();
            prompt[r] = row.mask();
        }
        ReplayRandom rng = new ReplayRandom(gb.floats("train_mmu_t.npy"), gb.floats("train_mmu_rand.npy"));
        MaskedNoising.TextNoise noise = noising.noiseText(clean, prompt, rng);
        assertEquals(0, rng.remaining());
        int[][] noisy = gb.rows("train_input_ids.npy", from, from + gb.bm);
        float[] p = gb.floats("train_p_mask_mmu.npy");
        for (int r = 0; r < gb.bm; r++) {
            assertArrayEquals(noisy[r], noise.ids()[r], "noised mmu row " + r);
            assertEquals(p[r * gb.length], noise.p()[r], 0f, "p of mmu row " + r);
        }
    }

    @ParameterizedTest
    @MethodSource("sets")
    void chatRowsMatchReference(GoldenSet g) {
        GoldenTrainingBatch gb = new GoldenTrainingBatch(g);
        TrainingSequences seq = new TrainingSequences(gb.tokens, gb.maxSeq);
        MaskedNoising noising = new MaskedNoising(gb.tokens.mask(), (float) gb.cfg("eps"), (float) gb.cfg("min_masking_rate"));
        List<String> texts = gb.texts("chat_lm_texts");
        int[][] clean = new int[gb.bl][];
        int[][] prompt = new int[gb.bl][];
        for (int r = 0; r < gb.bl; r++) {
            TrainingSequences.Row row = seq.lmChat(gb.encode(texts.get(r)), gb.length);
            assertArrayEquals(gb.rows("train_chat_lm_clean_input_ids.npy", 0, gb.bl)[r], row.ids(), "clean chat row " + r);
            assertArrayEquals(gb.rows("train_chat_lm_prompt_mask.npy", 0, gb.bl)[r], row.mask(), "chat prompt row " + r);
            assertEquals(gb.rows("train_chat_lm_answer_lengths.npy", 0, gb.bl)[r][0], answerLength(row.mask()));
            clean[r] = row.ids();
            prompt[r] = row.mask();
        }
        ReplayRandom rng = new ReplayRandom(gb.floats("train_chat_lm_t.npy"), gb.floats("train_chat_lm_rand.npy"));
        MaskedNoising.TextNoise noise = noising.noiseText(clean, prompt, rng);
        assertEquals(0, rng.remaining());
        for (int r = 0; r < gb.bl; r++) {
            assertArrayEquals(gb.rows("train_chat_lm_input_ids.npy", 0, gb.bl)[r], noise.ids()[r], "noised chat row " + r);
        }
    }

    static int answerLength(int[] promptMask) {
        int n = 0;
        for (int v : promptMask) {
            n += 1 - v;
        }
        return n;
    }
}
