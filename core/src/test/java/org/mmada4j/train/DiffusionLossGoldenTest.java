package org.mmada4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.testing.Assertions2;
import org.mmada4j.testing.GoldenSet;

/** The losses of forward_process from the reference's own logits, and dLoss/dlogits by finite differences. */
@Tag("parity")
class DiffusionLossGoldenTest {
    static final double LOSS_RTOL = 1e-5;

    static List<GoldenSet> sets() {
        return GoldenSet.all();
    }

    static DiffusionLoss.Batch stage1Batch(GoldenTrainingBatch gb) {
        int l = gb.length;
        return new DiffusionLoss.Batch(GoldenTrainingBatch.flatten(gb.rows("train_input_ids.npy", 0, gb.bt + gb.bl + gb.bm)),
                GoldenTrainingBatch.flatten(gb.rows("train_labels.npy", 0, gb.bt + gb.bl + gb.bm)), l, gb.bt, gb.bl, gb.bm,
                firstColumn(gb.floats("train_p_mask_lm.npy"), l), null,
                firstColumn(gb.floats("train_p_mask_mmu.npy"), l), firstColumnInts(gb.rows("train_answer_lengths.npy", 0, gb.bm)),
                gb.maxSeq + 1);
    }

    static DiffusionLoss.Coefficients coefficients(GoldenTrainingBatch gb) {
        return new DiffusionLoss.Coefficients(gb.cfg("t2i_coeff"), gb.cfg("lm_coeff"), gb.cfg("mmu_coeff"));
    }

    @ParameterizedTest
    @MethodSource("sets")
    void stage1LossesMatchReference(GoldenSet g) {
        GoldenTrainingBatch gb = new GoldenTrainingBatch(g);
        DiffusionLoss loss = new DiffusionLoss(gb.tokens.mask(), coefficients(gb));
        DiffusionLoss.Batch b = stage1Batch(gb);
        DiffusionLoss.Result r = loss.compute(ComputePool.shared(), gb.floats("train_logits.npy"), gb.vocab, b, true);
        float[] expected = gb.floats("train_losses.npy");
        assertRel("loss_t2i", expected[0], r.t2i());
        assertRel("loss_lm", expected[1], r.lm());
        assertRel("loss_mmu", expected[2], r.mmu());
        assertRel("combined", expected[3], r.total());
        Assertions2.assertClose("train_token_ce", gb.floats("train_token_ce.npy"), r.tokenCe(), 2e-6, 1e-6);
        // Weights against the reference's restatement train_loss_weights (float64 .npy narrowed to fp32).
        double[][] parts = loss.partWeights(b);
        float[] w = gb.floats("train_loss_weights.npy");
        float[] mine = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            mine[i] = (float) (parts[0][i] + parts[1][i] + parts[2][i]);
        }
        Assertions2.assertClose("train_loss_weights", w, mine, 0, 1e-6);
    }

    @ParameterizedTest
    @MethodSource("sets")
    void chatLossesMatchReference(GoldenSet g) {
        GoldenTrainingBatch gb = new GoldenTrainingBatch(g);
        // The chat goldens store losses only: logits of the chat batch are not stored, so the LM part
        // is checked through its weights (train_chat_loss_weights) and the t2i/mmu parts must repeat stage 1.
        DiffusionLoss loss = new DiffusionLoss(gb.tokens.mask(), coefficients(gb));
        int l = gb.length;
        int[][] chat = gb.rows("train_chat_lm_input_ids.npy", 0, gb.bl);
        int[] ids = GoldenTrainingBatch.flatten(gb.rows("train_input_ids.npy", 0, gb.bt + gb.bl + gb.bm));
        for (int r = 0; r < gb.bl; r++) {
            System.arraycopy(chat[r], 0, ids, (gb.bt + r) * l, l);
        }
        DiffusionLoss.Batch b = new DiffusionLoss.Batch(ids,
                GoldenTrainingBatch.flatten(gb.rows("train_labels.npy", 0, gb.bt + gb.bl + gb.bm)), l, gb.bt, gb.bl, gb.bm,
                firstColumn(gb.floats("train_chat_lm_p_mask.npy"), l),
                firstColumnInts(gb.rows("train_chat_lm_answer_lengths.npy", 0, gb.bl)),
                firstColumn(gb.floats("train_p_mask_mmu.npy"), l), firstColumnInts(gb.rows("train_answer_lengths.npy", 0, gb.bm)),
                gb.maxSeq + 1);
        double[][] parts = loss.partWeights(b);
        float[] expected = gb.floats("train_chat_loss_weights.npy");
        float[] mine = new float[expected.length];
        System.arraycopy(toFloats(parts[1]), gb.bt * l, mine, 0, mine.length);
        Assertions2.assertClose("train_chat_loss_weights", expected, mine, 0, 1e-6);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        // Small random batch: 1 t2i row, 1 lm row, 1 mmu row of length 6 over a vocabulary of 7.
        int l = 6;
        int v = 7;
        int mask = 6;
        java.util.Random rnd = new java.util.Random(3);
        float[] logits = new float[3 * l * v];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) rnd.nextGaussian() * 2f;
        }
        int[] ids = {1, 2, 0, mask, 3, 4, mask, 2, mask, 1, mask, 0, 5, 5, 1, mask, mask, 3};
        int[] labels = {-100, -100, 0, 4, 3, 4, 1, 2, 3, 1, 2, 0, -100, -100, 1, 2, 5, 3};
        DiffusionLoss.Batch b = new DiffusionLoss.Batch(ids, labels, l, 1, 1, 1, new float[] {0.4f}, null,
                new float[] {0.7f}, new int[] {4}, 2);
        DiffusionLoss loss = new DiffusionLoss(mask, new DiffusionLoss.Coefficients(0.7, 0.2, 0.1));
        ComputePool pool = ComputePool.shared();
        DiffusionLoss.Result r = loss.compute(pool, logits, v, b, true);
        double h = 1e-2;
        double worst = 0;
        for (int i = 0; i < logits.length; i++) {
            float keep = logits[i];
            logits[i] = (float) (keep + h);
            double up = loss.compute(pool, logits, v, b, false).total();
            logits[i] = (float) (keep - h);
            double down = loss.compute(pool, logits, v, b, false).total();
            logits[i] = keep;
            double fd = (up - down) / (2 * h);
            worst = Math.max(worst, Math.abs(fd - r.dLogits()[i]));
        }
        assertTrue(worst < 1e-5, "max |analytic - finite difference| = " + worst);
        assertTrue(r.total() > 0);
    }

    static void assertRel(String name, double expected, double actual) {
        assertEquals(expected, actual, LOSS_RTOL * Math.abs(expected), name);
    }

    static float[] firstColumn(float[] rowsTimesL, int l) {
        float[] out = new float[rowsTimesL.length / l];
        for (int r = 0; r < out.length; r++) {
            out[r] = rowsTimesL[r * l];
        }
        return out;
    }

    static int[] firstColumnInts(int[][] rows) {
        int[] out = new int[rows.length];
        for (int r = 0; r < rows.length; r++) {
            out[r] = rows[r][0];
        }
        return out;
    }

    static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
