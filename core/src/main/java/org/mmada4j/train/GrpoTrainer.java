package org.mmada4j.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.mmada4j.data.DataFormatException;
import org.mmada4j.data.ShuffledStream;
import org.mmada4j.data.TrainingExample;
import org.mmada4j.prompt.ChatTemplate;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.text.TextTokenizer;

/**
 * The {@code grpo} stage: per step one prompt from a chat JSONL (the user turns are the prompt, the
 * last assistant message the reference answer), {@link UniGrpo#step} with the correctness + format
 * reward ({@link MathAnswerReward}), then metrics (mean reward, loss, KL) and periodic checkpoints.
 * Rollout randomness is seeded from (seed, step), so a resumed run draws what it would have drawn.
 */
public final class GrpoTrainer implements TrainingLoop {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrainConfig cfg;
    private final ModelTrainer policy;
    private final AdamW optimizer;
    private final ShuffledStream stream;
    private final TextTokenizer tokenizer;
    private final SpecialTokens tokens;
    private final UniGrpo grpo;
    private final LearningRateSchedule schedule;
    private SeededRandom rng;
    private TrainingState state;

    public GrpoTrainer(TrainConfig cfg, ModelTrainer policy, ModelTrainer reference, AdamW optimizer, ShuffledStream stream,
                       TextTokenizer tokenizer, SpecialTokens tokens, TrainingState state) {
        this.cfg = cfg;
        this.policy = policy;
        this.optimizer = optimizer;
        this.stream = stream;
        this.tokenizer = tokenizer;
        this.tokens = tokens;
        TrainConfig.Grpo g = cfg.grpo();
        this.grpo = new UniGrpo(policy, reference, optimizer, new MathAnswerReward(), tokenizer, tokens.mask(),
                new UniGrpo.Config(g.groupSize(), g.innerIterations(), g.clipEps(), g.klBeta(), !g.maskRatios().equals("random"),
                        g.maskRatios().equals("d1"), 0.15f,
                        new org.mmada4j.sample.TextSamplingParams(g.genLength(), g.blockLength(), g.samplingSteps(),
                                g.temperature(), 0, org.mmada4j.sample.Remasking.LOW_CONFIDENCE,
                                java.util.OptionalInt.of(tokens.eos()))), policy.model().pool());
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
                UniGrpo.Prompt prompt = prompt(stream.next());
                double lr = schedule.at(step);
                UniGrpo.StepResult r = grpo.step(List.of(prompt), lr, (float) cfg.maxGradNorm(), rng,
                        new org.mmada4j.sample.SeededRandom(cfg.seed() * 1_000_003L + step));
                if (!Double.isFinite(r.loss())) {
                    throw new TrainingDivergedException("GRPO loss is " + r.loss() + " at step " + (step + 1) + " (data epoch "
                            + stream.epoch() + ", example " + (stream.index() - 1) + "); the last checkpoint is the last good state",
                            step + 1);
                }
                long tokensDone = (long) cfg.grpo().groupSize() * (prompt.ids().length + cfg.grpo().genLength());
                state = new TrainingState(step + 1, stream.epoch(), stream.index(), rng.state(), state.tokensSeen() + tokensDone,
                        r.loss());
                double seconds = (System.nanoTime() - t0) / 1e9;
                Trainer.StepMetrics m = new Trainer.StepMetrics(state.step(), cfg.steps(), r.loss(), lr, Float.NaN,
                        state.tokensSeen(), tokensDone / seconds, stream.malformedSkipped(), 0, r.meanReward());
                ObjectNode line = JSON.createObjectNode();
                line.put("step", m.step()).put("reward", r.meanReward()).put("loss", r.loss()).put("kl", r.meanKl())
                        .put("clipped", r.clippedFraction()).put("lr", lr).put("tokens_per_s", m.tokensPerSecond());
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

    private UniGrpo.Prompt prompt(TrainingExample e) {
        if (!(e instanceof TrainingExample.Chat c)) {
            throw new DataFormatException(e.source() + ": GRPO prompts must be chat examples");
        }
        List<ChatTemplate.Message> msgs = c.messages().subList(0, c.messages().size() - 1).stream()
                .map(m -> new ChatTemplate.Message(m.role(), m.content())).toList();
        if (msgs.isEmpty()) {
            throw new DataFormatException(e.source() + ": a GRPO prompt needs a user message before the reference answer");
        }
        String reference = MathAnswerReward.extractAnswer(c.messages().get(c.messages().size() - 1).content());
        return new UniGrpo.Prompt(ChatTemplate.encode(tokenizer, tokens, msgs, true), reference);
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
