package org.mmada4j.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.train.TrainConfig;
import org.mmada4j.train.TrainingLoop;
import org.mmada4j.train.TrainingDivergedException;
import org.mmada4j.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmada4j train --config FILE [--resume DIR]}: the masked-diffusion training stages
 * ({@code pretrain}, {@code sft}) and UniGRPO ({@code grpo}, with {@code grpo_task} text, mmu or t2i) of a
 * plain {@code key = value} config (keys in the README and {@link TrainConfig}). Shows a progress line
 * (step, reward, loss, learning rate, tokens/s), writes {@code metrics.jsonl}, checkpoints, {@code loss.png}
 * and for grpo {@code reward.png} into the config's {@code output}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train or fine-tune with the masked-diffusion objective (stages: pretrain, sft, grpo).")
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "Run config (key = value lines).")
    Path config;

    @Option(names = "--resume", description = "Continue from a checkpoint directory or a run's checkpoints directory.")
    Path resume;

    @Option(names = "--max-steps", description = "Stop after this many steps in total this time (default: the config's steps).")
    Long maxSteps;

    @Override
    public Integer call() throws Exception {
        TrainConfig cfg = TrainConfig.load(config);
        try (TrainingRun run = TrainingRun.open(cfg, resume, ComputePool.shared())) {
            TrainingLoop t = run.trainer();
            System.out.printf("training %s: %s, %d params, from step %d to %d, output %s%n", cfg.stage(), cfg.model(),
                    run.modelConfig().parameterCount(), t.state().step(), cfg.steps(), cfg.output());
            long until = maxSteps == null ? cfg.steps() : Math.min(cfg.steps(), maxSteps);
            try {
                t.run(until, m -> {
                    int width = 30;
                    int done = (int) (width * m.step() / m.totalSteps());
                    System.out.printf("\r[%s%s] step %d/%d  %sloss %.4f  lr %.3g  |g| %.3g  %.0f tok/s%s", "=".repeat(done),
                            " ".repeat(width - done), m.step(), m.totalSteps(),
                            Double.isNaN(m.reward()) ? "" : String.format("reward %.3f  ", m.reward()), m.loss(), m.lr(), m.gradNorm(),
                            m.tokensPerSecond(), m.malformedSkipped() + m.tooLongSkipped() > 0
                                    ? "  skipped " + m.malformedSkipped() + " malformed, " + m.tooLongSkipped() + " too long" : "");
                    System.out.flush();
                });
                System.out.println();
            } catch (TrainingDivergedException e) {
                System.out.println();
                System.err.println("error: " + e.getMessage());
                return 3;
            } finally {
                if (java.nio.file.Files.exists(cfg.output().resolve("metrics.jsonl"))) {
                    LossCurvePlot.render(cfg.output().resolve("metrics.jsonl"), "loss", cfg.output().resolve("loss.png"));
                    if (cfg.stage().equals("grpo")) {
                        LossCurvePlot.render(cfg.output().resolve("metrics.jsonl"), "reward", cfg.output().resolve("reward.png"));
                    }
                }
            }
            System.out.printf("done: step %d, loss %.4f; checkpoints in %s, curve %s%n", t.state().step(),
                    t.state().lastLoss(), cfg.output().resolve("checkpoints"), cfg.output().resolve("loss.png"));
            if (t.state().step() < cfg.steps()) {
                t.checkpoint();
            }
            Path exported = t.exportInference();
            if (exported != null) {
                System.out.println("inference model (" + cfg.exportDtype() + "): " + exported);
            }
        }
        return 0;
    }
}
