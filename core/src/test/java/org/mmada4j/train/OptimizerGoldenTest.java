package org.mmada4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mmada4j.model.ModelConfig;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.testing.Assertions2;
import org.mmada4j.testing.GoldenSet;

/** clip_grad_norm_ + one AdamW step applied to the reference's own gradients. */
@Tag("parity")
class OptimizerGoldenTest {

    static List<GoldenSet> sets() {
        return GoldenSet.all();
    }

    @ParameterizedTest
    @MethodSource("sets")
    void clipAndAdamWReproduceUpdatedParams(GoldenSet g) throws IOException {
        var cfg = g.meta().path("train").path("config");
        ParameterSet params = TrainingRun.load(ModelConfig.load(g.file("config.json")), g.dir()); // single file or bf16 shards
        ParameterSet grads = CheckpointTensors.read(g.file("train_grads.safetensors"));
        ParameterSet expected = CheckpointTensors.read(g.file("train_updated_params.safetensors"));
        params.requireSameLayout(grads, "train_grads");

        float norm = GradientClipping.clip(grads, (float) cfg.path("max_grad_norm").asDouble());
        float goldNorm = g.npy("train_grad_norm.npy").floats()[0];
        assertEquals(goldNorm, norm, 1e-5 * goldNorm, "pre-clip grad norm");

        var betas = cfg.path("betas");
        AdamW opt = new AdamW(new AdamW.Hyper(betas.get(0).asDouble(), betas.get(1).asDouble(),
                cfg.path("adam_eps").asDouble(), cfg.path("weight_decay").asDouble()), params);
        opt.update(ComputePool.shared(), params, grads, cfg.path("lr").asDouble());
        int exact = 0;
        long total = 0;
        for (String name : params.names()) {
            float[] e = expected.get(name);
            float[] a = params.get(name);
            Assertions2.assertClose(name, e, a, 1e-6, 0);
            for (int i = 0; i < e.length; i++) {
                exact += Float.floatToIntBits(e[i]) == Float.floatToIntBits(a[i]) ? 1 : 0;
            }
            total += e.length;
        }
        // Torch's own versions disagree in the last bit here (2.13 vs the golden's 1.13: 587 of 156k
        // elements); this port matches 99.25 % bit for bit. Guard against op-order regressions.
        // (scripts/golden g2, written by torch 2.13 whose vectorised CPU sqrt is not correctly rounded, lr 2e-3,
        // beta2 0.95: 98.07 %; every element is within 1e-6 above.)
        assertTrue(exact >= 0.97 * total, exact + " of " + total + " elements bit-identical");
    }

    @Test
    void scheduleWarmsUpThenDecaysToMinimum() {
        LearningRateSchedule s = new LearningRateSchedule(1e-3, 10, 110, 0.1);
        assertEquals(0.0, s.at(0));
        assertEquals(5e-4, s.at(5), 1e-15);
        assertEquals(1e-3, s.at(10), 1e-15);
        assertEquals(1e-3 * (0.1 + 0.9 * 0.5), s.at(60), 1e-15);
        assertEquals(1e-4, s.at(110), 1e-15);
        assertEquals(1e-4, s.at(500), 1e-15);
    }

    @Test
    void clippingLeavesSmallGradientsAlone() {
        ParameterSet gs = new ParameterSet().add("a", new long[] {2}, new float[] {0.3f, 0.4f});
        assertEquals(0.5f, GradientClipping.clip(gs, 1f), 1e-7f);
        assertEquals(0.3f, gs.get("a")[0]);
        ParameterSet big = new ParameterSet().add("a", new long[] {2}, new float[] {3f, 4f}).add("b", new long[] {1}, new float[] {12f});
        assertEquals(13f, GradientClipping.clip(big, 1f), 1e-5f);
        assertEquals(12f / (13f + 1e-6f), big.get("b")[0], 1e-6f);
    }
}
