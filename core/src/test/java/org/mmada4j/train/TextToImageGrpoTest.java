package org.mmada4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.mmada4j.model.ModelConfig;
import org.mmada4j.model.RandomInit;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.sample.ImageSamplingParams;
import org.mmada4j.sample.MaskSchedule;
import org.mmada4j.score.ColorAlignmentScorer;
import org.mmada4j.score.WeightedScorers;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.DType;
import org.mmada4j.text.BpeTokenizer;
import org.mmada4j.text.TextTokenizer;
import org.mmada4j.vq.Magvit;
import org.mmada4j.vq.MagvitLoader;

/** UniGRPO on text-to-image answers with the bundled tiny model and tiny MAGVIT-v2. */
class TextToImageGrpoTest {
    static final Path TINY = Path.of("../models/mmada-tiny").toAbsolutePath().normalize();
    static final Path VQ = Path.of("../models/magvit-tiny").toAbsolutePath().normalize();
    static final ComputePool POOL = ComputePool.shared();

    record Setup(ModelConfig config, ModelTrainer policy, ModelTrainer reference, AdamW optimizer, TextTokenizer tokenizer,
                 SpecialTokens tokens, Magvit vq) {
    }

    static Setup setup(long initSeed) throws IOException {
        ModelConfig mc = ModelConfig.load(TINY.resolve("config.json"));
        ParameterSet params = TrainingRun.fromTensors(mc, new RandomInit(mc, DType.F32, initSeed).materialize());
        ModelTrainer policy = new ModelTrainer(mc, params, POOL);
        ModelTrainer ref = new ModelTrainer(mc, params.copy(), POOL);
        AdamW opt = new AdamW(new AdamW.Hyper(0.9, 0.999, 1e-8, 0), params);
        TextTokenizer tz = BpeTokenizer.load(TINY.resolve("tokenizer.json"));
        SpecialTokens tok = SpecialTokens.load(TINY, OptionalInt.of(tz.size()));
        return new Setup(mc, policy, ref, opt, tz, tok, MagvitLoader.load(VQ));
    }

    /**
     * A code-level fast path for the learning test (the tiny random MAGVIT decodes every code grid to
     * nearly the same grey): one pixel per code, its 6 low bits read as 2 bits per channel.
     */
    static final ImageDecoder PALETTE = codes -> {
        int side = Magvit.squareSide(codes.length);
        byte[] rgb = new byte[codes.length * 3];
        for (int i = 0; i < codes.length; i++) {
            rgb[3 * i] = (byte) (((codes[i] >> 4) & 3) * 85);
            rgb[3 * i + 1] = (byte) (((codes[i] >> 2) & 3) * 85);
            rgb[3 * i + 2] = (byte) ((codes[i] & 3) * 85);
        }
        return new org.mmada4j.vq.RgbImage(side, side, rgb);
    };

    @Test
    void meanRewardRisesWithAColourScorer() throws IOException {
        Setup s = setup(11);
        GrpoUpdate update = new GrpoUpdate(s.policy(), s.reference(), s.optimizer(), s.tokens().mask(),
                new GrpoUpdate.Config(2, 0.2, 0.01, true, false, 0f), POOL);
        TextToImageGrpo grpo = new TextToImageGrpo(update, s.tokenizer(), s.tokens(), PALETTE,
                new WeightedScorers(List.of(new WeightedScorers.Term(new ColorAlignmentScorer(), 1.0))),
                new TextToImageGrpo.Config(8, 16, new ImageSamplingParams(4, 0f, 1f, MaskSchedule.COSINE)));
        SeededRandom rng = new SeededRandom(3);
        org.mmada4j.sample.SeededRandom sampling = new org.mmada4j.sample.SeededRandom(4);
        List<Double> curve = new ArrayList<>();
        long t0 = System.nanoTime();
        int n = s.tokens().numVqTokens();
        for (int step = 0; step < 20; step++) {
            TextToImageGrpo.StepResult r = grpo.step(List.of("a red picture"), 3e-3, 1f, rng, sampling);
            curve.add(r.meanReward());
            assertEquals(8, r.codes().length);
            assertEquals(n, r.codes()[0].length);
            assertEquals(1, r.termRewards().length);
            assertTrue(Double.isFinite(r.loss()) && r.meanKl() >= 0, "loss " + r.loss() + ", kl " + r.meanKl());
        }
        double first = curve.subList(0, 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = curve.subList(15, 20).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        System.out.printf("t2i UniGRPO colour reward %.3f -> %.3f in %.1f s%n", first, last, (System.nanoTime() - t0) / 1e9);
        assertTrue(last > first + 0.15, "mean reward " + first + " -> " + last + ": " + curve);
    }
}
