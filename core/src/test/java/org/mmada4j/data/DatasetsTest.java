package org.mmada4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir
    Path dir;

    Path write(String name, String... lines) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, List.of(lines));
        return f;
    }

    @Test
    void textLinesStreamInASeededPermutationAndResumeExactly() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            lines.add("{\"text\": \"line " + i + "\"}");
            if (i == 4) {
                lines.add("   ");
            }
        }
        Path f = write("t.jsonl", lines.toArray(String[]::new));
        try (JsonlDataset ds = JsonlDataset.open(f, ExampleKind.TEXT)) {
            assertEquals(10, ds.size());
            ShuffledStream s = new ShuffledStream(ds, 7, MalformedPolicy.FAIL);
            Set<String> epoch0 = new HashSet<>();
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                epoch0.add(((TrainingExample.Text) s.next()).text());
            }
            assertEquals(10, epoch0.size(), "each line once per epoch");
            long e = s.epoch();
            long idx = s.index();
            for (int i = 0; i < 7; i++) {
                seen.add(((TrainingExample.Text) s.next()).text());
            }
            ShuffledStream resumed = new ShuffledStream(ds, 7, MalformedPolicy.FAIL);
            resumed.seek(e, idx);
            for (int i = 0; i < 7; i++) {
                assertEquals(seen.get(i), ((TrainingExample.Text) resumed.next()).text());
            }
            assertNotEquals(List.of(ShuffledStream.permutation(10, 7, 0)), List.of(ShuffledStream.permutation(10, 8, 0)));
        }
    }

    @Test
    void malformedLinesAreCountedAndSkippedOrFailNamingTheLine() throws IOException {
        Path f = write("bad.jsonl", "{\"text\": \"ok\"}", "{not json", "{\"txt\": \"wrong field\"}", "{\"text\": \"ok2\"}");
        try (JsonlDataset ds = JsonlDataset.open(f, ExampleKind.TEXT)) {
            ShuffledStream skip = new ShuffledStream(ds, 1, MalformedPolicy.SKIP);
            for (int i = 0; i < 4; i++) {
                assertInstanceOf(TrainingExample.Text.class, skip.next());
            }
            // every position consumed was either returned or counted as skipped, and half the lines are bad
            assertEquals(skip.epoch() * 4 + skip.index(), 4 + skip.malformedSkipped());
            assertTrue(skip.malformedSkipped() >= 2, "a full epoch passed, so both bad lines were met");
            DataFormatException e = assertThrows(DataFormatException.class, () -> ds.read(1));
            assertTrue(e.getMessage().contains("bad.jsonl:2") && e.getMessage().contains("JSON"), e.getMessage());
            e = assertThrows(DataFormatException.class, () -> ds.read(2));
            assertTrue(e.getMessage().contains("bad.jsonl:3") && e.getMessage().contains("'text'"), e.getMessage());
            ShuffledStream fail = new ShuffledStream(ds, 1, MalformedPolicy.FAIL);
            assertThrows(DataFormatException.class, () -> {
                for (int i = 0; i < 4; i++) {
                    fail.next();
                }
            });
        }
    }

    @Test
    void chatAndVqaFormats() throws IOException {
        Path f = write("c.jsonl",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"2+2?\"}, {\"role\": \"assistant\", \"content\": \"<think>2+2=4</think>4\"}]}",
                "{\"messages\": [{\"role\": \"assistant\", \"content\": \"x\"}, {\"role\": \"user\", \"content\": \"y\"}]}");
        try (JsonlDataset ds = JsonlDataset.open(f, ExampleKind.CHAT)) {
            TrainingExample.Chat c = (TrainingExample.Chat) ds.read(0);
            assertEquals("<think>2+2=4</think>4", c.messages().get(1).content());
            assertThrows(DataFormatException.class, () -> ds.read(1));
        }
    }

    @Test
    void imagesByPathOrBytesMissingOrUndecodable() throws IOException {
        BufferedImage img = new BufferedImage(6, 4, BufferedImage.TYPE_INT_RGB);
        img.setRGB(3, 2, 0xff0000);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        Files.write(dir.resolve("a.png"), png.toByteArray());
        Files.write(dir.resolve("broken.png"), new byte[] {1, 2, 3, 4});
        Path f = write("cap.jsonl",
                "{\"image\": \"a.png\", \"caption\": \"red dot\"}",
                "{\"image_base64\": \"" + Base64.getEncoder().encodeToString(png.toByteArray()) + "\", \"caption\": \"same\"}",
                "{\"image\": \"missing.png\", \"caption\": \"x\"}",
                "{\"image\": \"broken.png\", \"caption\": \"x\"}");
        int[] calls = {0};
        ImageTokenCache.ImageTokenizer fake = new ImageTokenCache.ImageTokenizer() {
            @Override
            public int[] encode(float[] image, int resolution) {
                calls[0]++;
                assertEquals(3 * resolution * resolution, image.length);
                int[] codes = new int[4];
                for (int i = 0; i < image.length; i++) {
                    codes[i % 4] += image[i] > 0 ? 1 : 0;
                }
                return codes;
            }

            @Override
            public String id() {
                return "fake";
            }
        };
        ImageTokenCache cache = new ImageTokenCache(dir.resolve("cache"), fake, 4);
        try (JsonlDataset ds = JsonlDataset.open(f, ExampleKind.CAPTION)) {
            TrainingExample.Caption a = (TrainingExample.Caption) ds.read(0);
            TrainingExample.Caption b = (TrainingExample.Caption) ds.read(1);
            int[] ca = cache.codes(a.image(), a.source());
            int[] cb = cache.codes(b.image(), b.source());
            assertArrayEquals(ca, cb);
            assertEquals(1, calls[0], "the same image bytes are tokenized once");
            assertEquals(1, cache.hits());
            ImageTokenCache again = new ImageTokenCache(dir.resolve("cache"), fake, 4);
            assertArrayEquals(ca, again.codes(a.image(), a.source()));
            assertEquals(1, calls[0], "cache persists across runs");
            TrainingExample.Caption m = (TrainingExample.Caption) ds.read(2);
            DataFormatException e = assertThrows(DataFormatException.class, () -> cache.codes(m.image(), m.source()));
            assertTrue(e.getMessage().contains("cap.jsonl:3") && e.getMessage().contains("missing.png"), e.getMessage());
            TrainingExample.Caption br = (TrainingExample.Caption) ds.read(3);
            e = assertThrows(DataFormatException.class, () -> cache.codes(br.image(), br.source()));
            assertTrue(e.getMessage().contains("cap.jsonl:4") && e.getMessage().contains("decoded"), e.getMessage());
        }
        float[] px = ImageLoader.load(png.toByteArray(), 4, "x");
        assertEquals(-1f, px[0], 1e-6f);
    }

    @Test
    void byteTokenizerMatchesTheGoldenStandIn() {
        ByteLevelTokenizer t = new ByteLevelTokenizer(0, 293, Map.of("<|end_header_id|>", 291, "<|eot_id|>", 292));
        assertArrayEquals(new int[] {72, 105, 291, 10, 292}, t.encode("Hi<|end_header_id|>\n<|eot_id|>"));
        assertEquals("Hi\n", t.decode(t.encode("Hi<|end_header_id|>\n"), true));
    }
}
