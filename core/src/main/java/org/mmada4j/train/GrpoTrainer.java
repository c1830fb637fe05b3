package org.mmada4j.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.mmada4j.data.ShuffledStream;
import org.mmada4j.data.TrainingExample;

/**
 * The {@code grpo} stage: per step one prompt from the dataset — a chat prompt (text answers), an image
 * and a question (mmu: text answers) or a text prompt (t2i: image answers), as {@code grpo_task} says
 * ({@link GrpoTasks}) — one UniGRPO step of its {@link GrpoTask}, then metrics (mean reward, each
 * reward term, loss, KL) and periodic checkpoints. Rollout randomness is seeded from (seed, step), so a
 * resumed run draws what it would have drawn.
 */
public final class GrpoTrainer implements TrainingLoop {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrainConfig cfg;
    private final ModelTrainer policy;
    private final AdamW optimizer;
    private final ShuffledStream stream;
    private final GrpoTask task;
    private final LearningRateSchedule schedule;
    private SeededRandom rng;
    private TrainingState state;

    public GrpoTrainer(TrainConfig cfg, ModelTrainer policy, AdamW optimizer, ShuffledStream stream, GrpoTask task,
                       TrainingState state) {
        this.cfg = cfg;
        this.policy = policy;
        this.optimizer = optimizer;
        this.stream = stream;
        this.task = task;
        this.schedule = new LearningRateSchedule(cfg.lr(), cfg.warmupSteps(), cfg.steps(), cfg.minLrScale());
        this.state = state;
        this.rng = SeededRandom.restore(state.rngState());
        stream.seek(state.dataEpoch(), state.dataIndex());
    }

    @Override
    public TrainingState state() {
        return state;
    }

    @Override
    public TrainingState run(long untilStep, Trainer.Listener listener) throws IOException {
        Files.createDirectories(cfg.output());
        long end = Math.min(untilStep, cfg.steps());
        try (BufferedWriter metrics = Files.newBufferedWriter(cfg.output().resolve("metrics.jsonl"), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            while (state.step() < end) {
                long t0 = System.nanoTime();
                long step = state.step();
                TrainingExample example = stream.next();
                double lr = schedule.at(step);
                GrpoTask.Outcome r = task.step(example, lr, (float) cfg.maxGradNorm(), rng,
                        new org.mmada4j.sample.SeededRandom(cfg.seed() * 1_000_003L + step));
                if (!Double.isFinite(r.loss())) {
                    throw new TrainingDivergedException("GRPO loss is " + r.loss() + " at step " + (step + 1) + " (data epoch "
                            + stream.epoch() + ", example " + (stream.index() - 1) + "); the last checkpoint is the last good state",
                            step + 1);
                }
                long tokensDone = r.tokens();
                state = new TrainingState(step + 1, stream.epoch(), stream.index(), rng.state(), state.tokensSeen() + tokensDone,
                        r.loss());
                double seconds = (System.nanoTime() - t0) / 1e9;
                Trainer.StepMetrics m = new Trainer.StepMetrics(state.step(), cfg.steps(), r.loss(), lr, r.gradNorm(),
                        state.tokensSeen(), tokensDone / seconds, stream.malformedSkipped(), 0, r.meanReward());
                ObjectNode line = JSON.createObjectNode();
                line.put("step", m.step()).put("reward", r.meanReward()).put("loss", r.loss()).put("kl", r.meanKl())
                        .put("clipped", r.clippedFraction()).put("lr", lr).put("grad_norm", r.gradNorm())
                        .put("tokens_per_s", m.tokensPerSecond());
                r.termRewards().forEach(line::put);
                metrics.write(JSON.writeValueAsString(line));
                metrics.newLine();
                metrics.flush();
                if (listener != null) {
                    listener.step(m);
                }
                if (state.step() % cfg.checkpointEvery() == 0 || state.step() == cfg.steps()) {
                    checkpoint();
                }
            }
        }
        return state;
    }

    @Override
    public void checkpoint() throws IOException {
        TrainingCheckpoint.save(cfg.output().resolve("checkpoints"), policy.params(), optimizer, state, cfg.keepCheckpoints(),
                TrainingCheckpoint.WriteObserver.NONE);
    }

    @Override
    public Path exportInference() throws IOException {
        if (cfg.exportDtype().equals("none")) {
            return null;
        }
        Path dir = cfg.output().resolve("model");
        InferenceExport.write(policy.params(), cfg.model(), dir, cfg.exportDtype().equals("bf16")
                ? CheckpointTensors.Precision.BF16 : CheckpointTensors.Precision.F32);
        return dir;
    }
}
