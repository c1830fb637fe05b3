package org.mmada4j.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mmada4j.testing.Assertions2.assertEqualIds;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mmada4j.prompt.GoldenTokens;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.testing.GoldenSet;

/** t2i_generate reproduced exactly from the recorded per-step logits and draws. */
@Tag("parity")
class ImageSamplerParityTest {
    static List<GoldenSet> sets() {
        return GoldenSet.all();
    }

    static int[][] rows(GoldenSet g, String file) {
        var a = g.npy(file);
        int w = a.dim(-1);
        int[] all = a.toInts();
        int[][] out = new int[all.length / w][];
        for (int r = 0; r < out.length; r++) {
            out[r] = Arrays.copyOfRange(all, r * w, (r + 1) * w);
        }
        return out;
    }

    static long[] flat(int[][] a) {
        return Arrays.stream(a).flatMapToInt(Arrays::stream).asLongStream().toArray();
    }

    static ImageSamplingParams params(GoldenSet g) {
        JsonNode t = g.meta().path("t2i");
        return new ImageSamplingParams(t.path("timesteps").asInt(), (float) t.path("guidance_scale").asDouble(),
                (float) t.path("temperature").asDouble(), MaskSchedule.parse(t.path("schedule").asText()));
    }

    @ParameterizedTest
    @MethodSource("sets")
    void replayedLogitsAndDrawsGiveTheGoldenCodes(GoldenSet g) {
        SpecialTokens tok = GoldenTokens.of(g);
        TracedLogits model = new TracedLogits(g.npy("t2i_trace_logits.npy"), g.npy("t2i_trace_model_inputs.npy"));
        ReplayRandom rnd = new ReplayRandom(g.npy("t2i_trace_multinomial.npy"), g.npy("t2i_trace_gumbel.npy"));
        int prefix = g.meta().path("t2i").path("resolution_arg").asInt() + 1;
        List<int[][]> stepCodes = new ArrayList<>();
        ImageSampler.Result res = new ImageSampler(model, tok).generate(
                rows(g, "t2i_input_ids.npy"), rows(g, "t2i_attention_mask.npy"),
                rows(g, "t2i_uncond_input_ids.npy"), rows(g, "t2i_uncond_attention_mask.npy"),
                prefix, params(g), rnd, (s, n, codes, ids) -> stepCodes.add(codes));
        int steps = g.meta().path("t2i").path("timesteps").asInt();
        assertEquals(steps, model.steps());
        assertEquals(steps, rnd.steps());
        assertEquals(steps, res.forwardPasses());
        assertEquals(steps, stepCodes.size());
        assertEqualIds("t2i_gen_codes", g.npy("t2i_gen_codes.npy").longs(), flat(res.codes()));
        assertEqualIds("t2i_final_input_ids", g.npy("t2i_final_input_ids.npy").longs(), flat(res.ids()));
    }

    @ParameterizedTest
    @MethodSource("sets")
    void realModelWithReplayedDrawsGivesTheGoldenCodes(GoldenSet g) {
        SpecialTokens tok = GoldenTokens.of(g);
        RecordingPredictor model = new RecordingPredictor(TextSamplerParityTest.model(g));
        ReplayRandom rnd = new ReplayRandom(g.npy("t2i_trace_multinomial.npy"), g.npy("t2i_trace_gumbel.npy"));
        int prefix = g.meta().path("t2i").path("resolution_arg").asInt() + 1;
        ImageSampler.Result res = new ImageSampler(model, tok).generate(
                rows(g, "t2i_input_ids.npy"), rows(g, "t2i_attention_mask.npy"),
                rows(g, "t2i_uncond_input_ids.npy"), rows(g, "t2i_uncond_attention_mask.npy"),
                prefix, params(g), rnd, ImageStepListener.NONE);
        var trace = g.npy("t2i_trace_model_inputs.npy");
        int per = trace.size() / trace.dim(0);
        assertEquals(trace.dim(0), model.inputs.size());
        for (int s = 0; s < trace.dim(0); s++) {
            assertEqualIds("t2i model input at step " + s, Arrays.copyOfRange(trace.longs(), s * per, (s + 1) * per),
                    flat(model.inputs.get(s)));
        }
        assertEqualIds("t2i_gen_codes", g.npy("t2i_gen_codes.npy").longs(), flat(res.codes()));
        assertEqualIds("t2i_final_input_ids", g.npy("t2i_final_input_ids.npy").longs(), flat(res.ids()));
    }
}
