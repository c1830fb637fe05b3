package org.mmada4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmada4j.vq.ImageFiles;
import org.mmada4j.vq.RgbImage;
import picocli.CommandLine;

/** {@code score} with the tiny CLIP fixture of core's tests and with an external command. */
class ScoreCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TINY = Path.of("..", "core", "src", "test", "resources", "golden", "clip-tiny")
            .toAbsolutePath().normalize();

    /** Letters and letters + "</w>", no merges; start/end tokens at the top ids (the fixture's legacy pooling). */
    private static String tokenizer(int vocabSize) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE").put("unk_token", "<|endoftext|>").put("continuing_subword_prefix", "")
                .put("end_of_word_suffix", "</w>");
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < 26; i++) {
            vocab.put(String.valueOf((char) ('a' + i)), i);
            vocab.put((char) ('a' + i) + "</w>", 26 + i);
        }
        vocab.put("<|startoftext|>", vocabSize - 2);
        vocab.put("<|endoftext|>", vocabSize - 1);
        model.putArray("merges");
        root.putArray("added_tokens").addObject().put("id", vocabSize - 1).put("content", "<|endoftext|>").put("special", true);
        root.set("normalizer", JSON.createObjectNode().put("type", "Lowercase"));
        ObjectNode pre = root.putObject("pre_tokenizer").put("type", "Split").put("behavior", "Removed").put("invert", true);
        pre.putObject("pattern").put("Regex", "[\\p{L}]+");
        ObjectNode post = root.putObject("post_processor").put("type", "RobertaProcessing");
        post.putArray("cls").add("<|startoftext|>").add(vocabSize - 2);
        post.putArray("sep").add("<|endoftext|>").add(vocabSize - 1);
        return root.toString();
    }

    @Test
    void scoresWithAClipDirectoryAndWithACommand(@TempDir Path tmp) throws Exception {
        for (String f : new String[] {"config.json", "model.safetensors"}) {
            Files.copy(TINY.resolve(f), tmp.resolve(f));
        }
        int vocab = JSON.readTree(TINY.resolve("config.json").toFile()).get("text_config").get("vocab_size").asInt();
        Files.writeString(tmp.resolve("tokenizer.json"), tokenizer(vocab));
        Path a = tmp.resolve("a.png");
        Path b = tmp.resolve("b.png");
        byte[] px = new byte[40 * 30 * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 7);
        }
        ImageFiles.writePng(a, new RgbImage(40, 30, px));
        ImageFiles.writePng(b, new RgbImage(30, 40, px));

        JsonNode clip = JSON.readTree(run(0, "score", "--scorer", tmp.toString(), "--image", a.toString(), "--image",
                b.toString(), "--text", "a cat", "--threads", "1"));
        assertEquals("clip", clip.get("scorer").asText());
        assertEquals(2, clip.get("scores").size());
        assertEquals("a cat", clip.get("scores").get(1).get("text").asText());
        assertTrue(Double.isFinite(clip.get("scores").get(0).get("score").asDouble()));
        JsonNode pick = JSON.readTree(run(0, "score", "--scorer", tmp.toString(), "--use", "pickscore", "--image",
                a.toString(), "--text", "a cat", "--threads", "1"));
        assertEquals("pickscore", pick.get("scorer").asText());
        // Same model, same pair; batch 1 here vs 2 above may take another GEMM path at these tiny sizes (last bits).
        assertEquals(clip.get("scores").get(0).get("score").asDouble(), pick.get("scores").get(0).get("score").asDouble(), 1e-5);

        JsonNode cmd = JSON.readTree(run(0, "score", "--command", "while read line; do echo 0.25; done", "--image",
                a.toString(), "--image", b.toString(), "--text", "x", "--text", "y"));
        assertEquals(0.25, cmd.get("scores").get(1).get("score").asDouble());
        assertEquals("y", cmd.get("scores").get(1).get("text").asText());

        run(2, "score", "--image", a.toString(), "--text", "x");
        run(2, "score", "--scorer", tmp.toString(), "--image", a.toString(), "--text", "x", "--text", "y", "--text", "z");
        run(1, "score", "--scorer", tmp.resolve("missing").toString(), "--image", a.toString(), "--text", "x");
        run(1, "score", "--command", "echo oops", "--image", a.toString(), "--text", "x");
    }

    private static String run(int expectedExit, String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = new CommandLine(new Main()).execute(args);
        } finally {
            System.setOut(old);
        }
        assertEquals(expectedExit, rc, String.join(" ", args));
        return buf.toString(StandardCharsets.UTF_8).strip();
    }
}
