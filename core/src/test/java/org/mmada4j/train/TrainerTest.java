package org.mmada4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmada4j.tensor.ComputePool;

/** The training loop on the bundled tiny model: resume exactness, learning, divergence handling. */
class TrainerTest {
    static final Path TINY = Path.of("../models/mmada-tiny").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    Path corpus() throws IOException {
        List<String> lines = new ArrayList<>();
        String[] s = {"the cat sat on the mat.", "the dog sat on the log.", "a cat and a dog.", "the mat is red."};
        for (int i = 0; i < 16; i++) {
            lines.add("{\"text\": \"" + s[i % s.length] + "\"}");
        }
        Path f = dir.resolve("corpus.jsonl");
        Files.write(f, lines);
        return f;
    }

    TrainConfig config(String name, String... extra) throws IOException {
        corpus();
        List<String> lines = new ArrayList<>(List.of("model = " + TINY,
                "output = " + name, "batch_size = 4", "seq_length = 24", "lr = 3e-3", "warmup_steps = 2",
                "min_lr_scale = 0.1", "seed = 7", "init_seed = 3"));
        lines.addAll(List.of(extra));
        if (lines.stream().noneMatch(x -> x.startsWith("stage"))) {
            lines.add("stage = pretrain");
        }
        if (lines.stream().noneMatch(x -> x.startsWith("data "))) {
            lines.add("data = corpus.jsonl");
        }
        Path f = dir.resolve(name + ".properties");
        Files.write(f, lines);
        return TrainConfig.load(f);
    }

    @Test
    void stopAndResumeGivesBitIdenticalWeights() throws IOException {
        ComputePool pool = ComputePool.shared();
        TrainConfig straight = config("straight", "steps = 6", "checkpoint_every = 3", "grad_accum = 2");
        try (TrainingRun run = TrainingRun.open(straight, null, pool)) {
            run.trainer().run(6, null);
        }
        TrainConfig split = config("split", "steps = 6", "checkpoint_every = 3", "grad_accum = 2");
        try (TrainingRun run = TrainingRun.open(split, null, pool)) {
            assertEquals(3, run.trainer().run(3, null).step());
        }
        try (TrainingRun run = TrainingRun.open(split, split.output().resolve("checkpoints"), pool)) {
            assertEquals(3, run.trainer().state().step(), "resumed at the checkpoint");
            run.trainer().run(6, null);
        }
        TrainingCheckpoint.Loaded a = TrainingCheckpoint.loadLatest(straight.output().resolve("checkpoints"));
        TrainingCheckpoint.Loaded b = TrainingCheckpoint.loadLatest(split.output().resolve("checkpoints"));
        assertEquals(6, a.state().step());
        assertEquals(a.state(), b.state());
        for (String n : a.params().names()) {
            assertArrayEquals(a.params().get(n), b.params().get(n), n + " (weights)");
            assertArrayEquals(a.optimizer().secondMoment().get(n), b.optimizer().secondMoment().get(n), n + " (Adam v)");
        }
        assertEquals(losses(straight.output()), losses(split.output()), "per-step losses");
    }

    @Test
    void pretrainingDrivesTheLossDown() throws IOException {
        TrainConfig cfg = config("learn", "steps = 60", "checkpoint_every = 60", "export_dtype = bf16");
        try (TrainingRun run = TrainingRun.open(cfg, null, ComputePool.shared())) {
            run.trainer().run(60, null);
            Path exported = run.trainer().exportInference();
            ParameterSet bf16 = CheckpointTensors.read(exported.resolve("model.safetensors"));
            ParameterSet master = TrainingCheckpoint.loadLatest(cfg.output().resolve("checkpoints")).params();
            float[] a = master.get("model.transformer.ln_f.weight");
            float[] b = bf16.get("model.transformer.ln_f.weight");
            for (int i = 0; i < a.length; i++) {
                assertEquals(org.mmada4j.tensor.Tensor.bf16ToFloat(org.mmada4j.tensor.Tensor.floatToBf16(a[i])), b[i]);
            }
            assertTrue(Files.exists(exported.resolve("config.json")) && Files.exists(exported.resolve("mmada_tokens.json")));
        }
        List<Double> l = losses(cfg.output());
        double first = l.subList(0, 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = l.subList(l.size() - 5, l.size()).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(last < 0.5 * first, "loss " + first + " -> " + last);
    }

    @Test
    void sftOnThinkFormattedAnswersDrivesTheLossDown() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int a = i % 4;
            int b = i % 3;
            lines.add("{\"messages\": [{\"role\": \"user\", \"content\": \"" + a + "+" + b + "?\"}, "
                    + "{\"role\": \"assistant\", \"content\": \"<think>" + a + "+" + b + "</think>" + (a + b) + "\"}]}");
        }
        Files.write(dir.resolve("chat.jsonl"), lines);
        TrainConfig cfg = config("sft", "stage = sft", "data = chat.jsonl", "seq_length = 48", "steps = 40",
                "checkpoint_every = 40");
        try (TrainingRun run = TrainingRun.open(cfg, null, ComputePool.shared())) {
            run.trainer().run(40, null);
        }
        List<Double> l = losses(cfg.output());
        double first = l.subList(0, 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = l.subList(l.size() - 5, l.size()).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(last < 0.5 * first, "SFT loss " + first + " -> " + last);
    }

    @Test
    void grpoStageRunsFromAConfig() throws IOException {
        Files.write(dir.resolve("prompts.jsonl"), List.of(
                "{\"messages\": [{\"role\": \"user\", \"content\": \"1+1?\"}, {\"role\": \"assistant\", \"content\": \"<think>1+1</think>2\"}]}",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"2+2?\"}, {\"role\": \"assistant\", \"content\": \"4\"}]}"));
        TrainConfig cfg = config("grpo", "stage = grpo", "data = prompts.jsonl", "steps = 3", "checkpoint_every = 3",
                "group_size = 4", "gen_length = 8", "block_length = 8", "sampling_steps = 4", "lr = 1e-3");
        try (TrainingRun run = TrainingRun.open(cfg, null, ComputePool.shared())) {
            assertEquals(3, run.trainer().run(3, null).step());
        }
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(cfg.output().resolve("metrics.jsonl"));
        assertEquals(3, lines.size());
        for (String line : lines) {
            var n = json.readTree(line);
            double reward = n.get("reward").asDouble();
            assertTrue(reward >= 0 && reward <= MathAnswerReward.CORRECT + MathAnswerReward.FORMAT, line);
            assertTrue(Double.isFinite(n.get("loss").asDouble()) && n.get("kl").asDouble() >= 0, line);
        }
        assertEquals(3, TrainingCheckpoint.loadLatest(cfg.output().resolve("checkpoints")).state().step());
    }

    @Test
    void divergenceStopsNamingStepAndBatchAndKeepsLastCheckpoint() throws IOException {
        TrainConfig cfg = config("nan", "steps = 10", "checkpoint_every = 1", "lr = 1e30", "warmup_steps = 0",
                "max_grad_norm = 0");
        try (TrainingRun run = TrainingRun.open(cfg, null, ComputePool.shared())) {
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> run.trainer().run(10, null));
            assertTrue(e.getMessage().contains("at step " + e.step()) && e.getMessage().contains("examples"), e.getMessage());
            TrainingCheckpoint.Loaded last = TrainingCheckpoint.loadLatest(cfg.output().resolve("checkpoints"));
            assertEquals(e.step() - 1, last.state().step(), "the last good checkpoint is the step before");
            assertTrue(Double.isFinite(last.state().lastLoss()));
        }
    }

    @Test
    void configRejectsUnknownKeysAndWrongDataKind() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config("bad", "stpes = 3"));
        assertTrue(e.getMessage().contains("stpes"));
        e = assertThrows(IllegalArgumentException.class, () -> config("bad2", "data_kind = chat"));
        assertTrue(e.getMessage().contains("data_kind"));
    }

    static List<Double> losses(Path out) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Double> l = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            l.add(json.readTree(line).get("loss").asDouble());
        }
        return l;
    }
}
