package org.mmada4j.app;

import org.mmada4j.model.ModelConfig;
import org.mmada4j.tensor.AttentionMask;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.train.AdamW;
import org.mmada4j.train.DiffusionLoss;
import org.mmada4j.train.MaskedNoising;
import org.mmada4j.train.ModelTrainer;
import org.mmada4j.train.ParameterSet;
import org.mmada4j.train.SeededRandom;

/**
 * The "SFT" starting point of the {@link RepeatToy} experiment: masked-diffusion training (chat-SFT
 * loss, spec §6.1: prompt never masked, Σ CE/(p·answer_len) ÷ B) on answers that are a uniformly random
 * 4-letter word (letters may repeat) written twice. The model learns the format and the copy
 * structure but not the distinctness that the GRPO reward then asks for, like an instruction-tuned
 * model before RL; its sampling then depends on the answer tokens already committed, which is the
 * regime where the context an update trains on matters (fully masked for d1, partially for UniGRPO).
 */
public final class RepeatToyPretraining {
    private RepeatToyPretraining() {
    }

    /** Trains {@code params} in place for {@code steps} AdamW steps of {@code batch} rows. */
    public static void run(ParameterSet params, long seed, int steps, int batch, double lr) {
        ComputePool pool = new ComputePool(1);
        ModelConfig c = RepeatToy.modelConfig();
        ModelTrainer m = new ModelTrainer(c, params, pool);
        AdamW opt = new AdamW(new AdamW.Hyper(0.9, 0.999, 1e-8, 0), params);
        DiffusionLoss loss = new DiffusionLoss(RepeatToy.MASK, new DiffusionLoss.Coefficients(0, 1, 0));
        MaskedNoising noising = new MaskedNoising(RepeatToy.MASK, 1e-3f, 0f);
        SeededRandom rng = new SeededRandom(seed * 7919 + 11);
        int[] prompt = RepeatToy.prompt();
        int half = RepeatToy.ANSWER_LENGTH / 2;
        int len = prompt.length + RepeatToy.ANSWER_LENGTH;
        for (int s = 0; s < steps; s++) {
            int[][] clean = new int[batch][len];
            int[][] isPrompt = new int[batch][len];
            for (int r = 0; r < batch; r++) {
                System.arraycopy(prompt, 0, clean[r], 0, prompt.length);
                java.util.Arrays.fill(isPrompt[r], 0, prompt.length, 1);
                for (int i = 0; i < half; i++) {
                    int letter = Math.min(RepeatToy.LETTERS - 1, (int) (rng.nextFloat() * RepeatToy.LETTERS));
                    clean[r][prompt.length + i] = letter;
                    clean[r][prompt.length + half + i] = letter;
                }
            }
            MaskedNoising.TextNoise noise = noising.noiseText(clean, isPrompt, rng);
            int[] ids = new int[batch * len];
            int[] labels = new int[batch * len];
            int[] answer = new int[batch];
            for (int r = 0; r < batch; r++) {
                System.arraycopy(noise.ids()[r], 0, ids, r * len, len);
                System.arraycopy(clean[r], 0, labels, r * len, len);
                java.util.Arrays.fill(labels, r * len, r * len + prompt.length, -100);
                answer[r] = RepeatToy.ANSWER_LENGTH;
            }
            m.accumulate(loss, new DiffusionLoss.Batch(ids, labels, len, 0, batch, 0, noise.p(), answer, new float[0],
                    new int[0], 0), AttentionMask.none(), 1.0);
            m.optimizerStep(opt, lr, 1f);
        }
        pool.close();
    }
}
