package org.mmada4j.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.mmada4j.data.TrainingExample;
import org.mmada4j.sample.SamplingRandom;

/** UniGRPO on text answers: the example's prompt (chat, or image + question) → {@link UniGrpo#step}. */
public final class TextAnswerTask implements GrpoTask {
    private final UniGrpo grpo;
    private final Function<TrainingExample, UniGrpo.Prompt> prompts;
    private final int groupSize;
    private final int genLength;

    public TextAnswerTask(UniGrpo grpo, Function<TrainingExample, UniGrpo.Prompt> prompts, int groupSize, int genLength) {
        this.grpo = grpo;
        this.prompts = prompts;
        this.groupSize = groupSize;
        this.genLength = genLength;
    }

    @Override
    public Outcome step(TrainingExample example, double lr, float maxGradNorm, RandomSource rng, SamplingRandom sampling) {
        UniGrpo.Prompt p = prompts.apply(example);
        UniGrpo.StepResult r = grpo.step(List.of(p), lr, maxGradNorm, rng, sampling);
        return new Outcome(r.meanReward(), r.loss(), r.meanKl(), r.clippedFraction(), r.gradNorm(),
                (long) groupSize * (p.ids().length + genLength), prefixed(r.termRewards()));
    }

    private static Map<String, Double> prefixed(Map<String, Double> terms) {
        Map<String, Double> out = new LinkedHashMap<>();
        terms.forEach((k, v) -> out.put("reward_" + k, v));
        return out;
    }
}
