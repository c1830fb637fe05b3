package org.mmada4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmada4j.data.ExampleKind;
import org.mmada4j.data.ImageTokenCache;
import org.mmada4j.data.JsonlDataset;
import org.mmada4j.prompt.ChatTemplate;
import org.mmada4j.sample.Remasking;
import org.mmada4j.sample.TextSamplingParams;
import org.mmada4j.score.ColorAlignmentScorer;
import org.mmada4j.score.WeightedScorers;
import org.mmada4j.tensor.ComputePool;

/** UniGRPO on image-understanding (mmu) and text-to-image answers, on the tiny model and tiny MAGVIT-v2. */
class MultimodalGrpoTest {
    static final Path TINY = TextToImageGrpoTest.TINY;
    static final Path VQ = TextToImageGrpoTest.VQ;
    static final ComputePool POOL = ComputePool.shared();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** VQA lines over generated 64 px images (the tiny MAGVIT's 4×4 grid = the tiny model's 16 image tokens). */
    Path vqa() throws IOException {
        String[] names = {"red", "blue", "green"};
        Color[] colors = {Color.RED, Color.BLUE, Color.GREEN};
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
            var g = img.createGraphics();
            g.setColor(colors[i]);
            g.fillRect(0, 0, 64, 64);
            g.dispose();
            ImageIO.write(img, "png", dir.resolve("img" + i + ".png").toFile());
            lines.add("{\"image\": \"img" + i + ".png\", \"messages\": [{\"role\": \"user\", \"content\": \"How many squares?\"},"
                    + " {\"role\": \"assistant\", \"content\": \"<think>one " + names[i] + " square</think>" + (i + 1) + "\"}]}");
        }
        Path f = dir.resolve("vqa.jsonl");
        Files.write(f, lines);
        return f;
    }

    TrainConfig config(String name, String... extra) throws IOException {
        List<String> lines = new ArrayList<>(List.of("stage = grpo", "model = " + TINY, "init_seed = 3", "output = " + name,
                "seed = 7", "lr = 1e-3", "steps = 2", "checkpoint_every = 2", "group_size = 4", "inner_iterations = 2",
                "vq_model = " + VQ, "resolution = 64",
                "max_text_length = 16", "image_cache = cache"));
        lines.addAll(List.of(extra));
        Path f = dir.resolve(name + ".properties");
        Files.write(f, lines);
        return TrainConfig.load(f);
    }

    List<JsonNode> metrics(TrainConfig cfg) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(cfg.output().resolve("metrics.jsonl"))) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    @Test
    void mmuStepRewardsCorrectnessFormatAndCaptionOnTheImage() throws IOException {
        vqa();
        TextToImageGrpoTest.Setup s = TextToImageGrpoTest.setup(5);
        ImageTokenCache cache = new ImageTokenCache(dir.resolve("cache"), new ImageTokenCache.ImageTokenizer() {
            @Override
            public int[] encode(float[] image, int resolution) {
                return s.vq().encode(POOL, image, resolution, resolution);
            }

            @Override
            public String id() {
                return "magvit-tiny";
            }
        }, 64);
        UniGrpo.Prompt prompt;
        try (JsonlDataset ds = JsonlDataset.open(dir.resolve("vqa.jsonl"), ExampleKind.VQA)) {
            prompt = GrpoPrompts.mmu(ds.read(0), s.tokenizer(), s.tokens(), cache, 64, true, true);
        }
        // the mmu layout: <|mmu|> <|soi|> 16 image tokens <|eoi|> BOS chat…, the thinking instruction in the question
        int n = s.tokens().numVqTokens();
        assertEquals(s.tokens().mmu(), prompt.ids()[0]);
        assertEquals(s.tokens().soi(), prompt.ids()[1]);
        for (int i = 2; i < 2 + n; i++) {
            assertTrue(s.tokens().isImageToken(prompt.ids()[i]), "image token at " + i);
        }
        assertEquals(s.tokens().eoi(), prompt.ids()[2 + n]);
        assertEquals(s.tokens().bos(), prompt.ids()[3 + n]);
        String chat = s.tokenizer().decode(java.util.Arrays.copyOfRange(prompt.ids(), 4 + n, prompt.ids().length), false);
        assertTrue(chat.contains(ChatTemplate.THINKING_INSTRUCTION.strip()) && chat.endsWith("assistant<|end_header_id|>\n"), chat);
        assertEquals("1", prompt.referenceAnswer());
        assertEquals(64, prompt.image().width());
        assertArrayEquals(new double[] {255, 0, 0}, ColorAlignmentScorer.meanColor(prompt.image()), 1e-9, "the prompt's image");

        GrpoUpdate update = new GrpoUpdate(s.policy(), s.reference(), s.optimizer(), s.tokens().mask(),
                new GrpoUpdate.Config(2, 0.2, 0.01, true, false, 0f), POOL);
        WeightedScorers caption = WeightedScorers.parse("color:0.1", dir, "test");
        UniGrpo.Config cfg = new UniGrpo.Config(4, 2, 0.2, 0.01, true, false, 0f,
                new TextSamplingParams(8, 8, 4, 1.0, 0, Remasking.LOW_CONFIDENCE, java.util.OptionalInt.empty()));
        UniGrpo grpo = new UniGrpo(update, new CaptionReward(new MathAnswerReward(), caption), s.tokenizer(),
                s.tokens().mask(), cfg);
        float[] before = s.policy().params().get("model.transformer.wte.weight").clone();
        UniGrpo.StepResult r = grpo.step(List.of(prompt), 1e-3, 1f, new SeededRandom(1), new org.mmada4j.sample.SeededRandom(2));
        assertEquals(4, r.responses().size());
        double mean = 0;
        for (int i = 0; i < 4; i++) {
            String resp = r.responses().get(i);
            double expected = new MathAnswerReward().score(resp, "1")
                    + 0.1 * new ColorAlignmentScorer().score(List.of(prompt.image()), List.of(resp))[0];
            assertEquals(expected, r.rewards()[i], 1e-6, "reward of response " + i + " '" + resp + "'");
            mean += expected / 4;
        }
        assertEquals(mean, r.meanReward(), 1e-6);
        assertEquals(List.of("answer", "caption"), List.copyOf(r.termRewards().keySet()));
        assertEquals(mean, r.termRewards().get("answer") + r.termRewards().get("caption"), 1e-6);
        assertTrue(Double.isFinite(r.loss()) && r.meanKl() >= 0, "loss " + r.loss() + ", kl " + r.meanKl());
        assertFalse(java.util.Arrays.equals(before, s.policy().params().get("model.transformer.wte.weight")),
                "the μ updates changed the weights");
    }

    @Test
    void chatPromptsAreTheTurnsBeforeTheAnswerWithOptionalThinking() throws IOException {
        TextToImageGrpoTest.Setup s = TextToImageGrpoTest.setup(5);
        var chat = new org.mmada4j.data.TrainingExample.Chat("x:1", List.of(
                new org.mmada4j.data.TrainingExample.Message("system", "Be brief."),
                new org.mmada4j.data.TrainingExample.Message("user", "2+2?"),
                new org.mmada4j.data.TrainingExample.Message("assistant", "<think>add</think> 4")));
        UniGrpo.Prompt plain = GrpoPrompts.chat(chat, s.tokenizer(), s.tokens(), false);
        assertArrayEquals(ChatTemplate.encode(s.tokenizer(), s.tokens(), List.of(new ChatTemplate.Message("system", "Be brief."),
                ChatTemplate.Message.user("2+2?")), true), plain.ids());
        assertEquals("4", plain.referenceAnswer());
        UniGrpo.Prompt think = GrpoPrompts.chat(chat, s.tokenizer(), s.tokens(), true);
        assertArrayEquals(ChatTemplate.encode(s.tokenizer(), s.tokens(), List.of(new ChatTemplate.Message("system", "Be brief."),
                ChatTemplate.Message.user(ChatTemplate.THINKING_INSTRUCTION + "2+2?")), true), think.ids());
    }

    @Test
    void mmuStageRunsFromAConfig() throws IOException {
        vqa();
        TrainConfig cfg = config("mmu", "grpo_task = mmu", "data = vqa.jsonl", "think = true",
                "gen_length = 8", "block_length = 8", "sampling_steps = 4", "caption_rewards = color:0.1");
        assertEquals(ExampleKind.VQA, cfg.dataKind());
        try (TrainingRun run = TrainingRun.open(cfg, null, POOL)) {
            assertEquals(2, run.trainer().run(2, null).step());
        }
        for (JsonNode m : metrics(cfg)) {
            double reward = m.get("reward").asDouble();
            assertTrue(reward >= 0 && reward <= MathAnswerReward.CORRECT + MathAnswerReward.FORMAT + 0.1, m.toString());
            double caption = m.get("reward_caption").asDouble();
            assertTrue(caption >= 0 && caption <= 0.1, "0.1 · colour score (0 when a response names no colour): " + m);
            assertEquals(reward, m.get("reward_answer").asDouble() + caption, 1e-9, m.toString());
            assertTrue(Double.isFinite(m.get("loss").asDouble()) && m.get("kl").asDouble() >= 0, m.toString());
        }
        assertEquals(2, metrics(cfg).size());
        assertEquals(2, Files.list(dir.resolve("cache")).count(), "each image tokenized once");
        assertEquals(2, TrainingCheckpoint.loadLatest(cfg.output().resolve("checkpoints")).state().step());
    }

    @Test
    void t2iStageRunsFromAConfigWithMagvitDecodingAndGuidance() throws IOException {
        Files.write(dir.resolve("prompts.jsonl"), List.of("{\"text\": \"a red square\"}", "{\"text\": \"a blue sky\"}"));
        TrainConfig cfg = config("t2i", "grpo_task = t2i", "data = prompts.jsonl", "t2i_rewards = color:1.0,color:0.5",
                "image_steps = 3", "image_guidance = 1.5", "image_schedule = linear");
        assertEquals(ExampleKind.TEXT, cfg.dataKind());
        try (TrainingRun run = TrainingRun.open(cfg, null, POOL)) {
            assertEquals(2, run.trainer().run(2, null).step());
        }
        List<JsonNode> ms = metrics(cfg);
        assertEquals(2, ms.size());
        for (JsonNode m : ms) {
            double color = m.get("reward_color").asDouble();
            assertTrue(color > 0 && color <= 1, m.toString());
            assertEquals(1.5 * color, m.get("reward").asDouble(), 1e-9, "reward = 1.0·color + 0.5·color: " + m);
            assertEquals(color, m.get("reward_color_1").asDouble(), 1e-12);
            assertTrue(Double.isFinite(m.get("loss").asDouble()) && m.get("kl").asDouble() >= 0, m.toString());
        }
        assertEquals(2, TrainingCheckpoint.loadLatest(cfg.output().resolve("checkpoints")).state().step());
    }

    @Test
    void t2iRunResumesBitIdentically() throws IOException {
        Files.write(dir.resolve("prompts.jsonl"), List.of("{\"text\": \"a red square\"}", "{\"text\": \"a green field\"}"));
        String[] keys = {"grpo_task = t2i", "data = prompts.jsonl", "image_steps = 2", "image_guidance = 0", "checkpoint_every = 1"};
        TrainConfig straight = config("straight", keys);
        try (TrainingRun run = TrainingRun.open(straight, null, POOL)) {
            run.trainer().run(2, null);
        }
        TrainConfig split = config("split", keys);
        try (TrainingRun run = TrainingRun.open(split, null, POOL)) {
            run.trainer().run(1, null);
        }
        try (TrainingRun run = TrainingRun.open(split, split.output().resolve("checkpoints"), POOL)) {
            run.trainer().run(2, null);
        }
        TrainingCheckpoint.Loaded a = TrainingCheckpoint.loadLatest(straight.output().resolve("checkpoints"));
        TrainingCheckpoint.Loaded b = TrainingCheckpoint.loadLatest(split.output().resolve("checkpoints"));
        assertEquals(a.state(), b.state());
        for (String n : a.params().names()) {
            assertArrayEquals(a.params().get(n), b.params().get(n), n);
        }
        assertEquals(metrics(straight).get(1).get("reward").asDouble(), metrics(split).get(1).get("reward").asDouble());
    }

    @Test
    void configErrorsNameTheKey() throws IOException {
        Files.write(dir.resolve("prompts.jsonl"), List.of("{\"text\": \"a red square\"}"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config("bad1", "grpo_task = video", "data = prompts.jsonl"));
        assertTrue(e.getMessage().contains("grpo_task"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> config("bad2", "grpo_task = t2i", "data = prompts.jsonl", "data_kind = vqa"));
        assertTrue(e.getMessage().contains("data_kind"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> config("bad3", "grpo_task = t2i", "data = prompts.jsonl", "image_schedule = wobbly"));
        assertTrue(e.getMessage().contains("image_schedule"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> config("bad5", "grpo_task = t2i", "data = prompts.jsonl", "caption_rewards = color:0.1"));
        assertTrue(e.getMessage().contains("'caption_rewards' applies to stage grpo with grpo_task mmu only"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> config("bad6", "grpo_task = t2i", "data = prompts.jsonl", "gen_length = 8"));
        assertTrue(e.getMessage().contains("gen_length"), e.getMessage());
        Files.write(dir.resolve("novq.properties"), List.of("stage = grpo", "model = " + TINY, "grpo_task = t2i",
                "data = prompts.jsonl"));
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.load(dir.resolve("novq.properties")));
        assertTrue(e.getMessage().contains("vq_model"), e.getMessage());
        TrainConfig clip = config("bad4", "grpo_task = t2i", "data = prompts.jsonl", "t2i_rewards = color:1.0,clip:models/clip:0.1");
        e = assertThrows(IllegalArgumentException.class, () -> TrainingRun.open(clip, null, POOL));
        assertTrue(e.getMessage().contains("t2i_rewards") && e.getMessage().contains("unknown reward scorer kind 'clip'"),
                e.getMessage());
        assertFalse(Files.exists(clip.output().resolve("metrics.jsonl")));
    }
}
