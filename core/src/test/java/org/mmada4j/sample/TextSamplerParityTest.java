package org.mmada4j.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mmada4j.testing.Assertions2.assertEqualIds;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mmada4j.io.NpyArray;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.testing.GoldenSet;

/** Text and mmu generation with the real (tiny) model, token for token and step for step. */
@Tag("parity")
class TextSamplerParityTest {
    static List<GoldenSet> sets() {
        return GoldenSet.all();
    }

    static ModelPredictor model(GoldenSet g) {
        return new ModelPredictor(ModelPredictor.load(g.dir(), ComputePool.shared()));
    }

    static TextSamplingParams params(JsonNode c, int genLength) {
        return new TextSamplingParams(genLength, c.path("block_length").asInt(), c.path("steps").asInt(),
                c.path("temperature").asDouble(), c.path("cfg_scale").asDouble(),
                Remasking.parse(c.path("remasking").asText()), OptionalInt.empty());
    }

    static long[] flat(int[][] a) {
        return Arrays.stream(a).flatMapToInt(Arrays::stream).asLongStream().toArray();
    }

    @ParameterizedTest
    @MethodSource("sets")
    void textCasesStepByStep(GoldenSet g) {
        int[][] prompt = ImageSamplerParityTest.rows(g, "text_prompt_ids.npy");
        for (JsonNode c : g.meta().path("text_cases")) {
            String name = c.path("name").asText();
            RecordingPredictor rec = new RecordingPredictor(model(g));
            TextSampler sampler = new TextSampler(rec, c.path("mask_id").asInt());
            TextSampler.Result r = sampler.generate(prompt, null, params(c, c.path("gen_length").asInt()),
                    new SeededRandom(0), TextStepListener.NONE);
            assertEqualIds(name + "_gen_ids", g.npy(name + "_gen_ids.npy").longs(), flat(r.ids()));
            NpyArray trace = g.npy(name + "_trace_x.npy");
            int steps = trace.dim(0);
            int per = trace.size() / steps;
            assertEquals(steps, rec.inputs.size(), name + ": forward passes");
            for (int s = 0; s < steps; s++) {
                assertEqualIds(name + " model input at step " + s,
                        Arrays.copyOfRange(trace.longs(), s * per, (s + 1) * per), flat(rec.inputs.get(s)));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("sets")
    void mmuAnswer(GoldenSet g) {
        JsonNode m = g.meta().path("mmu");
        int[][] input = ImageSamplerParityTest.rows(g, "mmu_input_ids.npy");
        TextSampler sampler = new TextSampler(model(g), m.path("mask_id").asInt());
        TextSampler.Result r = sampler.generate(input, null, params(m, m.path("max_new_tokens").asInt()),
                new SeededRandom(0), TextStepListener.NONE);
        assertEqualIds("mmu_gen_ids", g.npy("mmu_gen_ids.npy").longs(), flat(r.ids()));
        assertEquals(m.path("steps").asInt(), r.forwardPasses());
    }
}
