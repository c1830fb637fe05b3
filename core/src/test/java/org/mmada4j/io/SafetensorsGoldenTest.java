package org.mmada4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mmada4j.tensor.DType;
import org.mmada4j.tensor.Tensor;
import org.mmada4j.testing.GoldenSet;

/** The reference's own checkpoint files load with exactly the names, shapes and dtypes it recorded. */
@Tag("parity")
class SafetensorsGoldenTest {
    private static final Map<String, DType> TORCH_DTYPES = Map.of(
            "float32", DType.F32, "bfloat16", DType.BF16, "float16", DType.F16, "float64", DType.F64,
            "int64", DType.I64, "int32", DType.I32, "uint8", DType.U8, "bool", DType.BOOL);

    static java.util.List<GoldenSet> sets() {
        return GoldenSet.all();
    }

    @ParameterizedTest
    @MethodSource("sets")
    void modelCheckpointMatchesTheRecordedStateDict(GoldenSet set) throws Exception {
        // The directory may hold one file or bf16 shards with an index (meta.json "weights").
        try (Checkpoint c = Checkpoint.open(set.dir())) {
            assertMatches(set, c, set.meta().path("state_dict"), set.meta().path("weights").path("dtype").textValue());
            assertEquals(set.meta().path("weights").path("shards").asInt(1), c.files().size(), "shards");
        }
    }

    /** Every other safetensors file meta.json lists: MAGVIT weights, training gradients and updates. */
    @ParameterizedTest
    @MethodSource("sets")
    void otherSafetensorsFilesMatchTheirStateDicts(GoldenSet set) throws Exception {
        for (JsonNode f : set.meta().path("files")) {
            String file = f.asText();
            if (!file.endsWith(".safetensors") || file.startsWith("model")) {
                continue;
            }
            // magvit.safetensors is described by magvit_state_dict; train_*.safetensors are keyed like the model.
            JsonNode stateDict = file.startsWith("magvit") ? set.meta().path("magvit_state_dict") : set.meta().path("state_dict");
            try (Checkpoint c = Checkpoint.open(set.file(file))) {
                assertMatches(set, c, stateDict, null);
            }
        }
    }

    /**
     * Names, shapes and dtypes of {@code checkpoint} equal {@code stateDict}'s; {@code fileDtype}, when
     * not null, is the torch dtype the file stores instead of the recorded one.
     */
    private static void assertMatches(GoldenSet set, Checkpoint checkpoint, JsonNode stateDict, String fileDtype)
            throws Exception {
        TreeSet<String> expected = new TreeSet<>();
        stateDict.fieldNames().forEachRemaining(expected::add);
        assertEquals(expected, new TreeSet<>(checkpoint.names()), "tensor names of " + checkpoint.path());
        for (String name : expected) {
            JsonNode rec = stateDict.get(name);
            long[] shape = new long[rec.path("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = rec.path("shape").get(i).asLong();
            }
            TensorSpec spec = checkpoint.spec(name);
            assertArrayEquals(shape, spec.shape(), name);
            assertEquals(TORCH_DTYPES.get(fileDtype != null ? fileDtype : rec.path("dtype").asText()), spec.dtype(), name);
            Tensor t = checkpoint.get(name);
            if (!t.dtype().isComputeStorage()) {
                continue; // e.g. an I64 step counter: shape and dtype checked above
            }
            // Reading every element through the view must work and give finite weights.
            for (long i = 0; i < t.size(); i++) {
                float v = t.getFloat(i);
                if (!Float.isFinite(v)) {
                    throw new AssertionError(name + "[" + i + "] = " + v);
                }
            }
        }
    }
}
