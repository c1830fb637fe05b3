package org.mmada4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmada4j.data.DataFormatException;
import org.mmada4j.data.ExampleKind;
import org.mmada4j.data.ImageTokenCache;
import org.mmada4j.data.JsonlDataset;
import org.mmada4j.data.LengthPolicy;
import org.mmada4j.data.MalformedPolicy;
import org.mmada4j.data.ShuffledStream;
import org.mmada4j.prompt.ChatTemplate;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.text.BpeTokenizer;
import org.mmada4j.text.TextTokenizer;

/** Mixed Long-CoT r2i rows (reasoning, then image tokens, predicted jointly) in the sft stage. */
class R2iTrainingTest {
    static final Path TINY = JointTrainingTest.TINY;
    static final Path VQ = JointTrainingTest.VQ;

    @TempDir
    Path dir;

    private final TextTokenizer tokenizer;
    private final SpecialTokens tokens;

    R2iTrainingTest() throws IOException {
        tokenizer = BpeTokenizer.load(TINY.resolve("tokenizer.json"));
        tokens = SpecialTokens.load(TINY, OptionalInt.of(tokenizer.size()));
    }

    private void image(String name, Color c) throws IOException {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        g.setColor(c);
        g.fillRect(8, 8, 32, 24);
        g.dispose();
        ImageIO.write(img, "png", dir.resolve(name).toFile());
    }

    /** A cache whose "tokenizer" returns codes 0, 1, 2, … (mod the codebook): the image part is predictable. */
    private ImageTokenCache fakeCache(int codebook) throws IOException {
        int n = tokens.numVqTokens();
        return new ImageTokenCache(dir.resolve("fake-cache"), new ImageTokenCache.ImageTokenizer() {
            @Override
            public int[] encode(float[] image, int resolution) {
                int[] codes = new int[n];
                Arrays.setAll(codes, i -> i % codebook);
                return codes;
            }

            @Override
            public String id() {
                return "fake";
            }
        }, 64);
    }

    private R2iRows rows(String jsonl, int maxTextLength, LengthPolicy tooLong) throws IOException {
        Files.writeString(dir.resolve("r2i.jsonl"), jsonl);
        ShuffledStream s = new ShuffledStream(JsonlDataset.open(dir.resolve("r2i.jsonl"), ExampleKind.R2I), 1,
                MalformedPolicy.FAIL);
        return new R2iRows(s, fakeCache(16), tokenizer, tokens, new TrainingSequences(tokens, maxTextLength), tooLong);
    }

    @Test
    void rowLayoutIsReasoningThenImage() throws IOException {
        image("a.png", Color.RED);
        String prompt = "draw a red box";
        String reasoning = "a red rectangle, top left";
        int t = 96;
        TrainingSequences.Row row = rows("{\"prompt\": \"" + prompt + "\", \"reasoning\": \"" + reasoning
                + "\", \"image\": \"a.png\"}\n", t, LengthPolicy.FAIL).next();
        int n = tokens.numVqTokens();
        int len = t + n + 3;
        assertEquals(len, row.ids().length);
        assertEquals(len, row.labels().length);

        // the text area: BOS + template(user prompt, assistant <think>reasoning</think>) + EOS, EOS-padded to T
        String rendered = ChatTemplate.render(List.of(ChatTemplate.Message.user(prompt),
                ChatTemplate.Message.assistant("<think>" + reasoning + "</think>")), false);
        rendered = rendered.substring(0, rendered.length() - "<|eot_id|>".length());
        int[] body = tokenizer.encode(rendered);
        assertTrue(body.length + 2 <= t, "the example must fit T for this test");
        int[] expectedText = new int[t];
        Arrays.fill(expectedText, tokens.eos());
        expectedText[0] = tokens.bos();
        System.arraycopy(body, 0, expectedText, 1, body.length);
        assertEquals(tokens.r2i(), row.ids()[0]);
        assertArrayEquals(expectedText, Arrays.copyOfRange(row.ids(), 1, 1 + t));
        assertEquals(tokens.soi(), row.ids()[t + 1]);
        for (int i = 0; i < n; i++) {
            assertEquals(tokens.imageToken(i % 16), row.ids()[t + 2 + i], "image token " + i);
        }
        assertEquals(tokens.eoi(), row.ids()[len - 1]);

        // prompt = task token + text through the last <|end_header_id|> + soi + eoi; labels = ids elsewhere
        int lastHeader = -1;
        for (int i = 0; i < len; i++) {
            if (row.ids()[i] == tokens.endHeader()) {
                lastHeader = i;
            }
        }
        for (int i = 0; i < len; i++) {
            boolean prompt0 = i <= lastHeader || i == t + 1 || i == len - 1;
            assertEquals(prompt0 ? 1 : 0, row.mask()[i], "prompt mask at " + i);
            assertEquals(prompt0 ? TrainingSequences.IGNORE : row.ids()[i], row.labels()[i], "label at " + i);
        }
        // what follows the header is the reasoning in its tags
        int[] answerText = Arrays.copyOfRange(row.ids(), lastHeader + 1, 1 + 1 + body.length);
        assertEquals("<think>" + reasoning + "</think>", tokenizer.decode(answerText, false).strip());
    }

    @Test
    void badInputGivesClearErrors() throws IOException {
        image("a.png", Color.RED);
        // no image field
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> rows("{\"prompt\": \"p\", \"reasoning\": \"r\"}\n", 96, LengthPolicy.FAIL).next());
        assertTrue(e.getMessage().contains("r2i.jsonl:1") && e.getMessage().contains("'image'"), e.getMessage());
        // the image file does not exist
        e = assertThrows(DataFormatException.class,
                () -> rows("{\"prompt\": \"p\", \"reasoning\": \"r\", \"image\": \"missing.png\"}\n", 96, LengthPolicy.FAIL).next());
        assertTrue(e.getMessage().contains("r2i.jsonl:1") && e.getMessage().contains("missing.png"), e.getMessage());
        // no reasoning field
        e = assertThrows(DataFormatException.class,
                () -> rows("{\"prompt\": \"p\", \"image\": \"a.png\"}\n", 96, LengthPolicy.FAIL).next());
        assertTrue(e.getMessage().contains("'reasoning'"), e.getMessage());
        // reasoning too long for the text area: an error under truncate and fail (never cut), skipped under skip
        String longOne = "{\"prompt\": \"p\", \"reasoning\": \"" + "long reasoning ".repeat(20) + "\", \"image\": \"a.png\"}\n";
        for (LengthPolicy p : List.of(LengthPolicy.FAIL, LengthPolicy.TRUNCATE)) {
            e = assertThrows(DataFormatException.class, () -> rows(longOne, 64, p).next());
            assertTrue(e.getMessage().contains("r2i.jsonl:1") && e.getMessage().contains("max_text_length = 64")
                    && e.getMessage().contains("never cut"), e.getMessage());
        }
        // skip: the long example is counted and passed over; with only long ones, an error instead of a hang
        R2iRows skipping = rows(longOne + "{\"prompt\": \"p\", \"reasoning\": \"r\", \"image\": \"a.png\"}\n", 64,
                LengthPolicy.SKIP);
        for (int i = 0; i < 3; i++) {
            assertEquals(64 + tokens.numVqTokens() + 3, skipping.next().ids().length);
        }
        assertTrue(skipping.skippedTooLong() >= 1);
        e = assertThrows(DataFormatException.class, () -> rows(longOne, 64, LengthPolicy.SKIP).next());
        assertTrue(e.getMessage().contains("every r2i example is longer"), e.getMessage());
        // r2i_data without the joint batch, or outside sft
        Files.write(dir.resolve("bad.properties"), List.of("stage = sft", "model = " + TINY, "data = x.jsonl",
                "r2i_data = r2i.jsonl"));
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> TrainConfig.load(dir.resolve("bad.properties")));
        assertTrue(c.getMessage().contains("r2i_data needs the joint batch"), c.getMessage());
    }

    private TrainConfig config(String name, int steps) throws IOException {
        String[] colors = {"red", "green", "blue", "white"};
        Color[] cs = {Color.RED, Color.GREEN, Color.BLUE, Color.WHITE};
        List<String> caps = new ArrayList<>();
        List<String> r2i = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            image("img" + i + ".png", cs[i]);
            caps.add("{\"image\": \"img" + i + ".png\", \"caption\": \"a " + colors[i] + " square\"}");
            r2i.add("{\"prompt\": \"draw a " + colors[i] + " square\", \"reasoning\": \"one " + colors[i]
                    + " square on black\", \"image\": \"img" + i + ".png\"}");
        }
        Files.write(dir.resolve("caps.jsonl"), caps);
        Files.write(dir.resolve("r2i.jsonl"), r2i);
        Files.write(dir.resolve("chat.jsonl"), List.of("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, "
                + "{\"role\": \"assistant\", \"content\": \"<think>greet</think>hello\"}]}"));
        // only the r2i part counts, so a falling loss is the r2i rows' gradient path at work
        Files.write(dir.resolve(name + ".properties"), List.of("stage = sft", "model = " + TINY, "init_seed = 2",
                "data = chat.jsonl", "t2i_data = caps.jsonl", "mmu_data = caps.jsonl", "vq_model = " + VQ,
                "r2i_data = r2i.jsonl", "r2i_batch_size = 2", "r2i_coeff = 1.0", "t2i_coeff = 0", "lm_coeff = 0",
                "mmu_coeff = 0", "resolution = 64", "max_text_length = 96", "t2i_batch_size = 1", "batch_size = 1",
                "mmu_batch_size = 1", "lr = 3e-3", "warmup_steps = 2", "seed = 5", "steps = " + steps,
                "checkpoint_every = 100", "output = " + name, "image_cache = cache", "export_dtype = none"));
        return TrainConfig.load(dir.resolve(name + ".properties"));
    }

    @Test
    void r2iLossFallsInAShortSftRun() throws IOException {
        TrainConfig a = config("a", 24);
        assertEquals(2, a.joint().r2iBatch());
        try (TrainingRun run = TrainingRun.open(a, null, ComputePool.shared())) {
            run.trainer().run(24, null);
        }
        List<Double> l = TrainerTest.losses(a.output());
        double first = l.subList(0, 4).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = l.subList(l.size() - 4, l.size()).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(first > 0 && last < 0.8 * first, "r2i loss " + first + " -> " + last);
        // the r2i images share the cache with the t2i/mmu ones: each of the 4 tokenized once
        assertEquals(4, Files.list(dir.resolve("cache")).count());
    }

    @Test
    void jointBatchNoisesReasoningAndImageButNeverThePrompt() throws IOException {
        TrainConfig a = config("b", 1);
        int t = a.joint().maxTextLength();
        int len = t + tokens.numVqTokens() + 3;
        ImageTokenCache cache = fakeCache(16);
        ShuffledStream caps = new ShuffledStream(JsonlDataset.open(a.joint().t2iData(), ExampleKind.CAPTION), 1, MalformedPolicy.FAIL);
        ShuffledStream mmu = new ShuffledStream(JsonlDataset.open(a.joint().mmuData(), ExampleKind.CAPTION), 2, MalformedPolicy.FAIL);
        ShuffledStream chat = new ShuffledStream(JsonlDataset.open(a.data(), ExampleKind.CHAT), 3, MalformedPolicy.FAIL);
        R2iRows r2i = new R2iRows(new ShuffledStream(JsonlDataset.open(a.joint().r2iData(), ExampleKind.R2I), 4,
                MalformedPolicy.FAIL), cache, tokenizer, tokens, new TrainingSequences(tokens, t), LengthPolicy.FAIL);
        // the same rows rebuilt clean, in the same order (same stream seed), to compare against
        R2iRows cleanRows = new R2iRows(new ShuffledStream(JsonlDataset.open(a.joint().r2iData(), ExampleKind.R2I), 4,
                MalformedPolicy.FAIL), cache, tokenizer, tokens, new TrainingSequences(tokens, t), LengthPolicy.FAIL);
        JointBatches joint = new JointBatches(caps, new TextBatches(chat, tokenizer, tokens, true, len, LengthPolicy.TRUNCATE, 1e-3f),
                mmu, cache, tokenizer, tokens, t, 1, 1, 1, 0.1f, 1e-3f, r2i, 2);
        SeededRandom rng = new SeededRandom(9);
        int maskedText = 0;
        int maskedImage = 0;
        for (int step = 0; step < 4; step++) {
            DiffusionLoss.Batch b = joint.next(rng);
            assertEquals(5, b.rows());
            assertEquals(2, b.r2iRows());
            for (int r = 0; r < 2; r++) {
                TrainingSequences.Row clean = cleanRows.next();
                int off = (3 + r) * len;
                int answer = 0;
                for (int i = 0; i < len; i++) {
                    int id = b.inputIds()[off + i];
                    assertEquals(clean.labels()[i], b.labels()[off + i], "label " + i);
                    if (clean.mask()[i] == 1) {
                        assertEquals(clean.ids()[i], id, "prompt position " + i + " noised");
                        continue;
                    }
                    answer++;
                    if (id == tokens.mask()) {
                        if (i <= t) {
                            maskedText++;
                        } else {
                            maskedImage++;
                        }
                    } else {
                        assertEquals(clean.ids()[i], id);
                    }
                }
                assertEquals(answer, b.r2iAnswerLengths()[r]);
                assertTrue(b.r2iP()[r] > 0 && b.r2iP()[r] <= 1);
            }
        }
        assertTrue(maskedText > 0 && maskedImage > 0, "text " + maskedText + ", image " + maskedImage);
        // the loss counts the r2i rows' masked positions (reasoning and image) in its own part only
        DiffusionLoss.Batch b = joint.next(rng);
        double[][] w = new DiffusionLoss(tokens.mask(), new DiffusionLoss.Coefficients(1, 1, 1, 1)).partWeights(b);
        for (int i = 0; i < b.rows() * len; i++) {
            boolean r2iMasked = i >= 3 * len && b.inputIds()[i] == tokens.mask();
            assertEquals(r2iMasked, w[3][i] > 0, "r2i weight at " + i);
        }
    }
}
