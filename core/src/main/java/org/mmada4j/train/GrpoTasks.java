package org.mmada4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.mmada4j.data.ImageTokenCache;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.sample.ImageSamplingParams;
import org.mmada4j.sample.MaskSchedule;
import org.mmada4j.sample.Remasking;
import org.mmada4j.sample.TextSamplingParams;
import org.mmada4j.score.WeightedScorers;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.text.TextTokenizer;
import org.mmada4j.vq.Magvit;
import org.mmada4j.vq.MagvitLoader;

/** Builds the {@link GrpoTask} a config's {@code grpo_task} names, with its rewards and image tokenizer. */
public final class GrpoTasks {
    private GrpoTasks() {
    }

    public static GrpoTask create(TrainConfig cfg, ModelTrainer policy, ModelTrainer reference, AdamW optimizer,
                                  TextTokenizer tokenizer, SpecialTokens tokens, ComputePool pool) throws IOException {
        TrainConfig.Grpo g = cfg.grpo();
        GrpoUpdate update = new GrpoUpdate(policy, reference, optimizer, tokens.mask(), updateConfig(g), pool);
        Path base = g.configFile().getParent();
        return switch (g.task()) {
            case "text" -> {
                UniGrpo grpo = new UniGrpo(update, ResponseReward.each(new MathAnswerReward()), tokenizer, tokens.mask(),
                        textConfig(g, tokens));
                yield new TextAnswerTask(grpo, e -> GrpoPrompts.chat(e, tokenizer, tokens, g.think()), g.groupSize(), g.genLength());
            }
            case "mmu" -> {
                Magvit vq = MagvitLoader.load(g.vqModel());
                ImageTokenCache cache = new ImageTokenCache(g.imageCache(),
                        ImageTokenCache.ImageTokenizer.magvit(vq, g.vqModel(), pool), g.resolution());
                boolean caption = g.captionRewards() != null && !g.captionRewards().isBlank();
                ResponseReward reward = caption
                        ? new CaptionReward(new MathAnswerReward(), WeightedScorers.parse(g.captionRewards(), base,
                                g.configFile() + ": caption_rewards"))
                        : ResponseReward.each(new MathAnswerReward());
                UniGrpo grpo = new UniGrpo(update, reward, tokenizer, tokens.mask(), textConfig(g, tokens));
                yield new TextAnswerTask(grpo, e -> GrpoPrompts.mmu(e, tokenizer, tokens, cache, g.resolution(), g.think(),
                        caption), g.groupSize(), g.genLength());
            }
            case "t2i" -> {
                Magvit vq = MagvitLoader.load(g.vqModel());
                WeightedScorers reward = WeightedScorers.parse(g.t2iRewards(), base, g.configFile() + ": t2i_rewards");
                TextToImageGrpo grpo = new TextToImageGrpo(update, tokenizer, tokens, ImageDecoder.magvit(vq, pool), reward,
                        new TextToImageGrpo.Config(g.groupSize(), g.maxTextLength(), new ImageSamplingParams(g.imageSteps(),
                                (float) g.imageGuidance(), (float) g.imageTemperature(), MaskSchedule.parse(g.imageSchedule()))));
                yield new ImageAnswerTask(grpo, reward.terms().stream().map(t -> t.scorer().name()).toList());
            }
            default -> throw new IllegalArgumentException(g.configFile() + ": grpo_task must be one of " + TrainConfig.Grpo.TASKS
                    + ", got '" + g.task() + "'");
        };
    }

    /** {@code mask_ratios}: uniform (UniGRPO), random (i.i.d. ratios) or d1 (answer fully masked). */
    private static GrpoUpdate.Config updateConfig(TrainConfig.Grpo g) {
        return new GrpoUpdate.Config(g.innerIterations(), g.clipEps(), g.klBeta(), !g.maskRatios().equals("random"),
                g.maskRatios().equals("d1"), GrpoUpdate.D1_PROMPT_RATIO);
    }

    private static UniGrpo.Config textConfig(TrainConfig.Grpo g, SpecialTokens tokens) {
        GrpoUpdate.Config u = updateConfig(g);
        return new UniGrpo.Config(g.groupSize(), u.innerIterations(), u.clipEps(), u.klBeta(), u.uniformlySpaced(),
                u.d1Variant(), u.d1PromptRatio(), new TextSamplingParams(g.genLength(), g.blockLength(), g.samplingSteps(),
                g.temperature(), 0, Remasking.LOW_CONFIDENCE, OptionalInt.of(tokens.eos())));
    }
}
