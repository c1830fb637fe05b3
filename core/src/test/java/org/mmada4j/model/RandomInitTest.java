package org.mmada4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmada4j.io.SafetensorsWriter;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.DType;
import org.mmada4j.tensor.Tensor;
import org.mmada4j.testing.GoldenSet;

class RandomInitTest {
    @TempDir
    Path tmp;

    private final ModelConfig config = TinyModels.config(GoldenSet.all().get(0));

    @Test
    void normalsHaveUnitVarianceAndBoundedTails() {
        int n = 200_000;
        double sum = 0;
        double sq = 0;
        double max = 0;
        for (int i = 0; i < n; i++) {
            double x = RandomInit.normal(42, i);
            sum += x;
            sq += x * x;
            max = Math.max(max, Math.abs(x));
        }
        assertEquals(0, sum / n, 0.01);
        assertEquals(1, sq / n, 0.01);
        assertTrue(max <= Math.sqrt(12) / 2 * 2 + 1e-9 && max > 3.0, "max |x| " + max);
    }

    @Test
    void scaledStdsFollowTheDocumentedScheme() {
        RandomInit init = new RandomInit(config, DType.F32, 1);
        double d = config.dModel();
        assertEquals(1 / Math.sqrt(d), init.std(CheckpointNames.block(0, CheckpointNames.Q_PROJ)), 1e-12);
        assertEquals(1 / Math.sqrt(2 * d * 2), init.std(CheckpointNames.block(1, CheckpointNames.ATTN_OUT)), 1e-12);
        assertEquals(1 / Math.sqrt(2.0 * config.mlpHiddenSize()), init.std(CheckpointNames.block(0, CheckpointNames.FF_OUT)), 1e-12);
        assertEquals(1 / Math.sqrt(d), init.std(CheckpointNames.HEAD), 1e-12);
        assertEquals(0, init.std(CheckpointNames.LN_F));
        Map<String, Tensor> w = init.materialize();
        float[] q = w.get(CheckpointNames.block(0, CheckpointNames.Q_PROJ)).toFloatArray();
        double sq = 0;
        for (float v : q) {
            sq += v * v;
        }
        assertEquals(1 / d, sq / q.length, 0.1 / d);
        for (float v : w.get(CheckpointNames.block(config.nLayers() - 1, CheckpointNames.FF_NORM)).toFloatArray()) {
            assertEquals(1f, v);
        }
    }

    @Test
    void streamedCheckpointEqualsTheMaterializedWeightsAndLoads() throws IOException {
        RandomInit init = new RandomInit(config, DType.BF16, 7);
        Path dir = tmp.resolve("init");
        // tiny shards so that the streaming and sharding paths are exercised
        List<Path> files = SafetensorsWriter.writeSharded(dir, init.specs(), Map.of("format", "pt"),
                config.parameterCount() / 3, init.filler(ComputePool.shared()));
        assertTrue(files.size() >= 4, files.toString());
        Files.copy(GoldenSet.all().get(0).file("config.json"), dir.resolve("config.json"));
        Map<String, Tensor> expected = init.materialize();
        try (MmadaModel m = MmadaModel.load(dir, ComputePool.shared())) {
            float[] wte = m.weights().wte().toFloatArray();
            float[] exp = expected.get(CheckpointNames.WTE).toFloatArray();
            for (int i = 0; i < exp.length; i++) {
                assertEquals(Tensor.bf16ToFloat(Tensor.floatToBf16(exp[i])), wte[i], "wte element " + i);
            }
            int[] ids = new int[2 * 8];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = (i * 37) % config.vocabSize();
            }
            float[] logits = m.forward(m.newState(), ids, 2, 8, null, LogitsSpec.all()).toArray();
            for (float v : logits) {
                assertTrue(Float.isFinite(v) && Math.abs(v) < 50, "logit " + v);
            }
        }
        // another seed gives other weights; the same seed the same ones
        assertNotEquals(new RandomInit(config, DType.F32, 8).value(CheckpointNames.WTE, 5), init.value(CheckpointNames.WTE, 5));
        assertEquals(new RandomInit(config, DType.F32, 7).value(CheckpointNames.WTE, 5), init.value(CheckpointNames.WTE, 5));
    }
}
