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
import org.mmada4j.tensor.AttentionMask;

/**
 * The training loop of the LM stages (pretrain, sft): per optimizer step, {@code gradAccum}
 * micro-batches (forward, loss, backward; gradients of loss/gradAccum accumulate), then clipping,
 * the scheduled learning rate and one AdamW update. Every step appends a line to
 * {@code output/metrics.jsonl}; every {@code checkpointEvery} steps and at the end a checkpoint is
 * written atomically. Everything random (data order, noising) is in the checkpoint, so stopping and
 * resuming gives bit-identical weights to an uninterrupted run.
 *
 * <p>A NaN or infinite loss stops the run before the update (the weights and the checkpoints on disk
 * are the last good ones) with a {@link TrainingDivergedException} naming the step and the batch.
 */
public final class Trainer implements TrainingLoop {
    /** Progress callback (the CLI's progress line). */
    public interface Listener {
        void step(StepMetrics m);
    }

    /** What one optimizer step did. */
    public record StepMetrics(long step, long totalSteps, double loss, double lr, float gradNorm, long tokens,
                              double tokensPerSecond, long malformedSkipped, long tooLongSkipped, double reward) {
    }

    /** Where the batches come from: the LM stages' text rows or the joint [t2i | lm | mmu] batches. */
    public interface BatchSource {
        DiffusionLoss.Batch next(RandomSource rng);

        /** The attention mask of the last batch. */
        AttentionMask mask();

        long tooLongSkipped();

        static BatchSource text(TextBatches b, int rows) {
            return new BatchSource() {
                @Override
                public DiffusionLoss.Batch next(RandomSource rng) {
                    return b.next(rows, rng);
                }

                @Override
                public AttentionMask mask() {
                    return AttentionMask.none();
                }

                @Override
                public long tooLongSkipped() {
                    return b.skippedTooLong();
                }
            };
        }

        static BatchSource joint(JointBatches j, TextBatches lm) {
            return joint(j, lm, null);
        }

        /** The joint batches; too-long skips counted over the lm rows and the r2i rows (null: none). */
        static BatchSource joint(JointBatches j, TextBatches lm, R2iRows r2i) {
            return new BatchSource() {
                @Override
                public DiffusionLoss.Batch next(RandomSource rng) {
                    return j.next(rng);
                }

                @Override
                public AttentionMask mask() {
                    return j.attentionBias();
                }

                @Override
                public long tooLongSkipped() {
                    return lm.skippedTooLong() + (r2i == null ? 0 : r2i.skippedTooLong());
                }
            };
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrainConfig cfg;
    private final ModelTrainer model;
    private final AdamW optimizer;
    private final ShuffledStream stream;
    private final java.util.List<ShuffledStream> otherStreams;
    private final BatchSource batches;
    private final DiffusionLoss loss;
    private final LearningRateSchedule schedule;
    private SeededRandom rng;
    private TrainingState state;

    /**
     * @param stream       the LM data stream
     * @param otherStreams further streams whose positions are checkpointed (joint stage: t2i, mmu)
     */
    public Trainer(TrainConfig cfg, ModelTrainer model, AdamW optimizer, ShuffledStream stream,
                   java.util.List<ShuffledStream> otherStreams, BatchSource batches, int maskId,
                   DiffusionLoss.Coefficients coefficients, TrainingState state) {
        this.cfg = cfg;
        this.model = model;
        this.optimizer = optimizer;
        this.stream = stream;
        this.otherStreams = java.util.List.copyOf(otherStreams);
        this.batches = batches;
        this.loss = new DiffusionLoss(maskId, coefficients);
        this.schedule = new LearningRateSchedule(cfg.lr(), cfg.warmupSteps(), cfg.steps(), cfg.minLrScale());
        this.state = state;
        this.rng = SeededRandom.restore(state.rngState());
        stream.seek(state.dataEpoch(), state.dataIndex());
        for (int i = 0; i < this.otherStreams.size() && 2 * i + 1 < state.otherStreams().size(); i++) {
            this.otherStreams.get(i).seek(state.otherStreams().get(2 * i), state.otherStreams().get(2 * i + 1));
        }
    }

    private java.util.List<Long> otherPositions() {
        java.util.List<Long> out = new java.util.ArrayList<>();
        for (ShuffledStream s : otherStreams) {
            out.add(s.epoch());
            out.add(s.index());
        }
        return out;
    }

    /** The state a fresh run starts from. */
    public static TrainingState initialState(long seed) {
        return new TrainingState(0, 0, 0, seed, 0, Double.NaN);
    }

    @Override
    public TrainingState state() {
        return state;
    }

    /** Runs until {@code untilStep} (≤ cfg.steps) optimizer steps are done; returns the final state. */
    @Override
    public TrainingState run(long untilStep, Listener listener) throws IOException {
        Path out = cfg.output();
        Files.createDirectories(out);
        Path ckpts = out.resolve("checkpoints");
        long end = Math.min(untilStep, cfg.steps());
        try (BufferedWriter metrics = Files.newBufferedWriter(out.resolve("metrics.jsonl"), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            while (state.step() < end) {
                long t0 = System.nanoTime();
                long step = state.step();
                double lossSum = 0;
                long tokens = 0;
                for (int micro = 0; micro < cfg.gradAccum(); micro++) {
                    long epoch = stream.epoch();
                    long index = stream.index();
                    DiffusionLoss.Batch b = batches.next(rng);
                    DiffusionLoss.Result r = model.accumulate(loss, b, batches.mask(), 1.0 / cfg.gradAccum());
                    if (!Double.isFinite(r.total())) {
                        throw new TrainingDivergedException(String.format(
                                "loss is %s at step %d, micro-batch %d (data epoch %d, examples %d..%d); stopped before the"
                                        + " update, the last checkpoint in %s is the last good state",
                                r.total(), step + 1, micro, epoch, index, stream.index() - 1, ckpts), step + 1);
                    }
                    lossSum += r.total();
                    tokens += (long) b.rows() * b.length();
                }
                double lr = schedule.at(step);
                float norm = model.optimizerStep(optimizer, lr, (float) cfg.maxGradNorm());
                double meanLoss = lossSum / cfg.gradAccum();
                state = new TrainingState(step + 1, stream.epoch(), stream.index(), rng.state(),
                        state.tokensSeen() + tokens, meanLoss, otherPositions());
                double seconds = (System.nanoTime() - t0) / 1e9;
                StepMetrics m = new StepMetrics(state.step(), cfg.steps(), meanLoss, lr, norm, state.tokensSeen(),
                        tokens / seconds, malformed(), batches.tooLongSkipped(), Double.NaN);
                ObjectNode line = JSON.createObjectNode();
                line.put("step", m.step()).put("loss", m.loss()).put("lr", m.lr()).put("grad_norm", m.gradNorm())
                        .put("tokens", m.tokens()).put("tokens_per_s", m.tokensPerSecond())
                        .put("malformed_skipped", m.malformedSkipped()).put("too_long_skipped", m.tooLongSkipped());
                metrics.write(JSON.writeValueAsString(line));
                metrics.newLine();
                metrics.flush();
                if (listener != null) {
                    listener.step(m);
                }
                if (state.step() % cfg.checkpointEvery() == 0 || state.step() == cfg.steps()) {
                    TrainingCheckpoint.save(ckpts, model.params(), optimizer, state, cfg.keepCheckpoints(),
                            TrainingCheckpoint.WriteObserver.NONE);
                }
            }
        }
        return state;
    }

    /**
     * Exports the current weights as an inference model directory {@code output/model} (config
     * {@code export_dtype}: f32, bf16, or none).
     */
    @Override
    public Path exportInference() throws IOException {
        if (cfg.exportDtype().equals("none")) {
            return null;
        }
        Path dir = cfg.output().resolve("model");
        InferenceExport.write(model.params(), cfg.model(), dir, cfg.exportDtype().equals("bf16")
                ? CheckpointTensors.Precision.BF16 : CheckpointTensors.Precision.F32);
        return dir;
    }

    private long malformed() {
        long n = stream.malformedSkipped();
        for (ShuffledStream s : otherStreams) {
            n += s.malformedSkipped();
        }
        return n;
    }

    /** Writes a checkpoint of the current state now (e.g. when stopping early). */
    @Override
    public void checkpoint() throws IOException {
        TrainingCheckpoint.save(cfg.output().resolve("checkpoints"), model.params(), optimizer, state,
                cfg.keepCheckpoints(), TrainingCheckpoint.WriteObserver.NONE);
    }
}
