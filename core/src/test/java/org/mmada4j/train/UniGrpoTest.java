package org.mmada4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mmada4j.data.ByteLevelTokenizer;
import org.mmada4j.model.CheckpointNames;
import org.mmada4j.model.ModelConfig;
import org.mmada4j.model.RandomInit;
import org.mmada4j.sample.TextSamplingParams;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.DType;
import org.mmada4j.tensor.Tensor;

class UniGrpoTest {
    static final ComputePool POOL = ComputePool.shared();

    @Test
    void lossGradientMatchesFiniteDifferences() {
        int n = 2;
        int len = 4;
        int vocab = 5;
        Random rnd = new Random(1);
        float[] z = new float[n * len * vocab];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) rnd.nextGaussian();
        }
        int[] targets = {0, 1, 2, 3, 4, 0, 1, 2};
        boolean[] pos = {false, true, true, true, false, false, true, true};
        float[] logp = UniGrpoLoss.tokenLogProbs(POOL, z, vocab, targets, pos);
        float[] old = new float[logp.length];
        float[] ref = new float[logp.length];
        for (int i = 0; i < old.length; i++) {
            old[i] = logp[i] + (float) (rnd.nextGaussian() * 0.3); // some ratios outside [1-ε, 1+ε]
            ref[i] = logp[i] + (float) (rnd.nextGaussian() * 0.5);
        }
        float[] adv = {1.3f, -0.7f};
        UniGrpoLoss loss = new UniGrpoLoss(0.2, 0.05);
        UniGrpoLoss.Result r = loss.compute(POOL, z, vocab, len, targets, pos, old, ref, adv);
        assertTrue(r.clippedFraction() > 0 && r.clippedFraction() < 1, "mix of clipped and unclipped tokens: " + r.clippedFraction());
        double h = 1e-3;
        double worst = 0;
        for (int i = 0; i < z.length; i++) {
            float keep = z[i];
            z[i] = (float) (keep + h);
            double up = loss.compute(POOL, z, vocab, len, targets, pos, old, ref, adv).loss();
            z[i] = (float) (keep - h);
            double down = loss.compute(POOL, z, vocab, len, targets, pos, old, ref, adv).loss();
            z[i] = keep;
            worst = Math.max(worst, Math.abs((up - down) / (2 * h) - r.dLogits()[i]));
        }
        assertTrue(worst < 1e-4, "max |analytic − finite difference| " + worst);
    }

    @Test
    void advantagesRatiosAndRewards() {
        assertArrayEquals(new float[] {1, -1, 0, 0}, GroupAdvantages.of(new float[] {3, 1, 2, 2}, 2), 1e-3f);
        // r = 0.1 → t1 = 100; μ = 5 → 100, 325, 550, 775, 1000 (the paper's formula; spec §6.4)
        float[] ratios = MaskRatioSchedule.uniformlySpaced(5, new ReplayRandom(new float[] {0.1f}));
        assertArrayEquals(new float[] {0.1f, 0.325f, 0.55f, 0.775f, 1f}, ratios, 1e-6f);
        MathAnswerReward rw = new MathAnswerReward();
        assertEquals(2.5, rw.score("<think>2+2 is 4</think> The answer is 4.", "4"));
        assertEquals(2.0, rw.score("4", "4.0"));
        assertEquals(0.5, rw.score("<think>hmm</think>5", "4"));
        assertEquals(0.0, rw.score("<think></think>5", "4"));
    }

    @Test
    void structuredNoisingNeverMasksThePrompt() {
        int[][] seqs = {{1, 2, 3, 4, 5, 6}, {1, 2, 3, 7, 8, 9}};
        StructuredNoising.Noised x = StructuredNoising.uniGrpo(seqs, 3, 0.5f, 0, new SeededRandom(1));
        for (int i = 0; i < 2; i++) {
            int masked = 0;
            for (int j = 0; j < 6; j++) {
                boolean m = x.ids()[i * 6 + j] == 0;
                assertEquals(m, x.lossPositions()[i * 6 + j]);
                if (j < 3) {
                    assertTrue(!m, "prompt position masked");
                }
                masked += m ? 1 : 0;
            }
            assertTrue(masked >= 1);
        }
        StructuredNoising.Noised d1 = StructuredNoising.d1(seqs, 3, 0.15f, 0, new SeededRandom(1));
        for (int j = 3; j < 6; j++) {
            assertEquals(0, d1.ids()[j]);
        }
    }

    static ModelTrainer tinyPolicy(ParameterSet params) {
        ModelConfig c = new ModelConfig(32, 2, 2, 2, 64, 384, 384, 1e-5f, 10000.0, 64, 288, 0, 0, 0, 257, 257);
        return new ModelTrainer(c, params, POOL);
    }

    static ParameterSet tinyParams(long seed) {
        ModelConfig c = new ModelConfig(32, 2, 2, 2, 64, 384, 384, 1e-5f, 10000.0, 64, 288, 0, 0, 0, 257, 257);
        Map<String, Tensor> init = new RandomInit(c, DType.F32, seed).materialize();
        ParameterSet p = new ParameterSet();
        for (Map.Entry<String, long[]> e : CheckpointNames.expectedShapes(c).entrySet()) {
            p.add(e.getKey(), e.getValue(), init.get(e.getKey()).toFloatArray());
        }
        return p;
    }

    @Test
    void oneUpdateMovesLikelihoodTowardsTheBetterResponse() {
        ParameterSet params = tinyParams(1);
        ModelTrainer policy = tinyPolicy(params);
        ModelTrainer ref = tinyPolicy(params.copy());
        AdamW opt = new AdamW(new AdamW.Hyper(0.9, 0.999, 1e-8, 0), params);
        UniGrpo grpo = new UniGrpo(policy, ref, opt, (a, b) -> 0, null, 288,
                new UniGrpo.Config(2, 1, 0.2, 0.0, true, true, 0f, TextSamplingParams.greedy(4, 4, 4)), POOL);
        int[][] seqs = {{256, 65, 66, 10, 11, 12, 13}, {256, 65, 66, 20, 21, 22, 23}};
        double[] before = answerLogProb(policy, seqs, 3);
        grpo.update(seqs, 3, new float[] {1f, -1f}, 1e-3, 0f, new SeededRandom(2));
        double[] after = answerLogProb(policy, seqs, 3);
        assertTrue(after[0] > before[0], "preferred response more likely: " + before[0] + " -> " + after[0]);
        assertTrue(after[1] < before[1], "dispreferred response less likely: " + before[1] + " -> " + after[1]);
    }

    static double[] answerLogProb(ModelTrainer m, int[][] seqs, int p0) {
        int len = seqs[0].length;
        StructuredNoising.Noised x = StructuredNoising.d1(seqs, p0, 0f, 288, new SeededRandom(0));
        int[] targets = new int[seqs.length * len];
        for (int i = 0; i < seqs.length; i++) {
            System.arraycopy(seqs[i], 0, targets, i * len, len);
        }
        float[] lp = UniGrpoLoss.tokenLogProbs(POOL, m.logits(x.ids(), seqs.length, len, null), 384, targets, x.lossPositions());
        double[] out = new double[seqs.length];
        for (int t = 0; t < lp.length; t++) {
            out[t / len] += lp[t];
        }
        return out;
    }

    /** Toy task with a checkable reward: the fraction of lowercase ASCII letters in an 8-token answer. */
    static List<Double> rewardCurve(boolean uniformlySpaced, boolean d1, int steps) {
        ParameterSet params = tinyParams(7);
        ModelTrainer policy = tinyPolicy(params);
        ModelTrainer ref = tinyPolicy(params.copy());
        AdamW opt = new AdamW(new AdamW.Hyper(0.9, 0.999, 1e-8, 0), params);
        ByteLevelTokenizer tok = new ByteLevelTokenizer(0, 293, Map.of());
        Reward letters = (resp, refAnswer) -> resp.chars().filter(ch -> ch >= 'a' && ch <= 'z').count() / 8.0;
        UniGrpo grpo = new UniGrpo(policy, ref, opt, letters, tok, 288,
                new UniGrpo.Config(8, 2, 0.2, 0.01, uniformlySpaced, d1, 0.15f,
                        new TextSamplingParams(8, 8, 8, 1.0, 0, org.mmada4j.sample.Remasking.LOW_CONFIDENCE,
                                java.util.OptionalInt.empty())), POOL);
        SeededRandom rng = new SeededRandom(3);
        org.mmada4j.sample.SeededRandom sampling = new org.mmada4j.sample.SeededRandom(4);
        List<Double> curve = new ArrayList<>();
        List<UniGrpo.Prompt> prompts = List.of(new UniGrpo.Prompt(new int[] {256, 'w', 'r', 'i', 't', 'e', ':'}, ""));
        for (int s = 0; s < steps; s++) {
            curve.add(grpo.step(prompts, 3e-3, 1f, rng, sampling).meanReward());
        }
        return curve;
    }

    @Test
    void meanRewardRisesOnAToyTask() {
        List<Double> c = rewardCurve(true, false, 20);
        double first = c.subList(0, 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = c.subList(c.size() - 5, c.size()).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        System.out.println("UniGRPO toy reward: " + first + " -> " + last);
        assertTrue(last > first + 0.2, "mean reward " + first + " -> " + last);
    }
}
