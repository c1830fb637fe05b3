package org.mmada4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mmada4j.io.Checkpoint;
import org.mmada4j.io.NpyArray;
import org.mmada4j.io.SafetensorsWriter;
import org.mmada4j.io.TensorSpec;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.DType;
import org.mmada4j.tensor.Tensor;
import org.mmada4j.testing.Assertions2;
import org.mmada4j.testing.GoldenSet;

/**
 * The path of the published MMaDA-8B weights: bf16 tensors in several shards with an index. The
 * golden model is converted to bf16 in two shards with the io writer, loaded back (weights stay
 * bf16 in the mapped files, widened inside the kernels), and must give the logits of an fp32 model
 * holding the same bf16-rounded values.
 */
@Tag("parity")
class Bf16ShardedCheckpointTest {
    /** Identical weight values and fp32 arithmetic: only the kernels' widening path differs. */
    static final double ATOL = 1e-5;

    @TempDir
    Path tmp;

    static List<GoldenSet> goldens() {
        return GoldenSet.all();
    }

    @ParameterizedTest
    @MethodSource("goldens")
    void bf16ShardsGiveTheLogitsOfBf16RoundedWeights(GoldenSet g) throws IOException {
        Map<String, Tensor> f32 = TinyModels.tensors(g);
        Map<String, Tensor> bf16 = new LinkedHashMap<>();
        Map<String, Tensor> rounded = new LinkedHashMap<>();
        List<TensorSpec> specs = new ArrayList<>();
        long total = 0;
        boolean roundingMoves = false; // false when the set's weights are stored bf16 already
        for (Map.Entry<String, Tensor> e : f32.entrySet()) {
            float[] v = e.getValue().toFloatArray();
            short[] bits = new short[v.length];
            float[] r = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                bits[i] = Tensor.floatToBf16(v[i]);
                r[i] = Tensor.bf16ToFloat(bits[i]);
                roundingMoves |= r[i] != v[i];
            }
            Tensor t = new Tensor(DType.BF16, e.getValue().shape(), MemorySegment.ofArray(bits));
            bf16.put(e.getKey(), t);
            rounded.put(e.getKey(), Tensor.ofFloats(r, e.getValue().shape()));
            specs.add(TensorSpec.of(e.getKey(), t));
            total += t.data().byteSize();
        }
        Path dir = tmp.resolve("bf16-2-shards");
        List<Path> files = SafetensorsWriter.writeSharded(dir, specs, Map.of("format", "pt"), total * 3 / 5, // greedy packing: two shards
                SafetensorsWriter.copyFrom(bf16));
        Files.copy(g.file("config.json"), dir.resolve("config.json"));
        assertEquals(3, files.size(), "two shards and an index: " + files);
        assertTrue(Files.exists(dir.resolve(Checkpoint.INDEX_NAME)));

        NpyArray ids = g.npy("forward_input_ids.npy");
        int batch = ids.dim(0);
        int length = ids.dim(1);
        float[] expected;
        ModelConfig config = TinyModels.config(g);
        MmadaModel reference = MmadaModel.of(config, rounded, "bf16-rounded fp32", ComputePool.shared());
        expected = reference.forward(reference.newState(), ids.toInts(), batch, length, null, LogitsSpec.all()).toArray();
        try (MmadaModel m = MmadaModel.load(dir, ComputePool.shared())) {
            assertEquals(DType.BF16, m.weights().blocks().get(0).q().dtype());
            assertTrue(m.weights().head().data().isMapped(), "bf16 weights must stay in the mapped shards");
            float[] actual = m.forward(m.newState(), ids.toInts(), batch, length, null, LogitsSpec.all()).toArray();
            Assertions2.assertClose("bf16 sharded logits", expected, actual, ATOL, 0);
            // and the bf16 model is measurably not the fp32 one (the rounding is real)
            MmadaModel full = TinyModels.load(g);
            float[] fp32 = full.forward(full.newState(), ids.toInts(), batch, length, null, LogitsSpec.all()).toArray();
            double drift = Assertions2.maxAbsDiff(fp32, actual);
            if (roundingMoves) {
                assertTrue(drift > 1e-4, "bf16 rounding should move the logits, moved " + drift);
            } else {
                assertEquals(0.0, drift, ATOL, "weights stored bf16 already: rounding is the identity");
            }
            // loose agreement with torch's all-bf16 run (indicative only, see MmadaForwardParityTest)
            System.out.printf("%s: bf16 weights vs fp32: %.4f; vs torch bf16 logits: %.4f%n", g, drift,
                    Assertions2.maxAbsDiff(g.npy("forward_logits_bf16.npy").floats(), actual));
        }
    }
}
