package org.mmada4j.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mmada4j.data.DataFormatException;
import org.mmada4j.data.TrainingExample;
import org.mmada4j.sample.SamplingRandom;

/**
 * UniGRPO on text-to-image answers: the example's text (a {@code text} line, or a caption whose image
 * is ignored) → {@link TextToImageGrpo#step}; each scorer's mean is reported as {@code reward_<name>}.
 */
public final class ImageAnswerTask implements GrpoTask {
    private final TextToImageGrpo grpo;
    private final List<String> termNames;

    /** @param termNames metric names of the reward's terms, in order */
    public ImageAnswerTask(TextToImageGrpo grpo, List<String> termNames) {
        this.grpo = grpo;
        this.termNames = List.copyOf(termNames);
    }

    /** The prompt text of a t2i GRPO example. */
    static String promptText(TrainingExample e) {
        String text = switch (e) {
            case TrainingExample.Text t -> t.text();
            case TrainingExample.Caption c -> c.caption();
            default -> throw new DataFormatException(e.source() + ": t2i GRPO prompts must be text or caption lines");
        };
        if (text.isBlank()) {
            throw new DataFormatException(e.source() + ": empty t2i prompt");
        }
        return text;
    }

    @Override
    public Outcome step(TrainingExample example, double lr, float maxGradNorm, RandomSource rng, SamplingRandom sampling) {
        TextToImageGrpo.StepResult r = grpo.step(List.of(promptText(example)), lr, maxGradNorm, rng, sampling);
        Map<String, Double> terms = new LinkedHashMap<>();
        for (int k = 0; k < r.termRewards().length; k++) {
            double mean = 0;
            for (double v : r.termRewards()[k]) {
                mean += v / r.termRewards()[k].length;
            }
            String name = "reward_" + termNames.get(k);
            terms.put(terms.containsKey(name) ? name + "_" + k : name, mean);
        }
        return new Outcome(r.meanReward(), r.loss(), r.meanKl(), r.clippedFraction(), r.gradNorm(), r.tokens(), terms);
    }
}
