package org.mmada4j.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmada4j.io.Checkpoint;
import org.mmada4j.io.CheckpointException;
import org.mmada4j.io.SafetensorsWriter;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.Tensor;
import org.mmada4j.vq.RgbImage;

/** ClipScorer end to end on the tiny fixture (with a hand-written CLIP tokenizer), and load errors. */
class ClipScorerTest {
    /**
     * A CLIP-layout tokenizer.json for the tiny fixture: letters, letters + "</w>", merges up to
     * "cat</w>" and "dog</w>", start/end tokens at the top ids (legacy argmax pooling finds the end).
     */
    static String tinyTokenizer(int vocabSize) {
        StringBuilder vocab = new StringBuilder();
        for (int i = 0; i < 26; i++) {
            char c = (char) ('a' + i);
            vocab.append("\"").append(c).append("\":").append(i).append(",");
            vocab.append("\"").append(c).append("</w>\":").append(26 + i).append(",");
        }
        int sot = vocabSize - 2;
        int eot = vocabSize - 1;
        vocab.append("\"ca\":52,\"cat</w>\":53,\"do\":54,\"dog</w>\":55,");
        vocab.append("\"<|startoftext|>\":").append(sot).append(",\"<|endoftext|>\":").append(eot);
        return """
                {"version":"1.0","truncation":null,"padding":null,
                 "added_tokens":[
                  {"id":%1$d,"content":"<|startoftext|>","single_word":false,"lstrip":false,"rstrip":false,"normalized":true,"special":true},
                  {"id":%2$d,"content":"<|endoftext|>","single_word":false,"lstrip":false,"rstrip":false,"normalized":true,"special":true}],
                 "normalizer":{"type":"Sequence","normalizers":[{"type":"NFC"},{"type":"Replace","pattern":{"Regex":"\\\\s+"},"content":" "},{"type":"Lowercase"}]},
                 "pre_tokenizer":{"type":"Sequence","pretokenizers":[
                  {"type":"Split","pattern":{"Regex":"[\\\\p{L}]+|[\\\\p{N}]|[^\\\\s\\\\p{L}\\\\p{N}]+"},"behavior":"Removed","invert":true},
                  {"type":"ByteLevel","add_prefix_space":false,"trim_offsets":true,"use_regex":false}]},
                 "post_processor":{"type":"RobertaProcessing","sep":["<|endoftext|>",%2$d],"cls":["<|startoftext|>",%1$d],"trim_offsets":false,"add_prefix_space":false},
                 "decoder":{"type":"BPEDecoder","suffix":"</w>"},
                 "model":{"type":"BPE","dropout":null,"unk_token":"<|endoftext|>","continuing_subword_prefix":"","end_of_word_suffix":"</w>","fuse_unk":false,
                  "vocab":{%3$s},
                  "merges":["c a","ca t</w>","d o","do g</w>"]}}
                """.formatted(sot, eot, vocab);
    }

    static Path tinyScorerDir(Path tmp) throws IOException {
        Path src = ClipParityTest.fixture("clip-tiny");
        for (String f : List.of("config.json", "model.safetensors")) {
            Files.copy(src.resolve(f), tmp.resolve(f));
        }
        int vocab = ClipConfig.load(src).text().vocabSize();
        Files.writeString(tmp.resolve("tokenizer.json"), tinyTokenizer(vocab));
        return tmp;
    }

    static RgbImage randomImage(Random r, int w, int h) {
        byte[] b = new byte[w * h * 3];
        r.nextBytes(b);
        return new RgbImage(w, h, b);
    }

    @Test
    void scoresAreScaledCosinesOfThePairs(@TempDir Path tmp) throws IOException {
        Path dir = tinyScorerDir(tmp);
        Random r = new Random(4);
        List<RgbImage> images = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < ClipScorer.BATCH + 3; i++) { // more than one batch
            images.add(randomImage(r, 30 + i, 50 - i));
            texts.add(i % 2 == 0 ? "A Cat" : "the   dog, " + i);
        }
        try (ComputePool pool = new ComputePool(2);
             ClipScorer clip = ClipScorer.load(dir, dir, ClipScorer.Use.ALIGNMENT, pool, false);
             ClipScorer pick = ClipScorer.load(dir, dir, ClipScorer.Use.PREFERENCE, pool, true)) {
            assertEquals("clip", clip.name());
            assertEquals("pickscore", pick.name());
            ClipConfig c = clip.model().config();
            ClipTextProcessor tp = ClipTextProcessor.load(dir, c.text().maxPositions());
            int eot = c.text().vocabSize() - 1;
            assertArrayEquals(new int[] {eot - 1, 26, 53, eot}, tp.encode("a CAT")); // a</w> cat</w>
            double[] got = clip.score(images, texts);
            ClipImageProcessor ip = ClipImageProcessor.openAi(c.vision().imageSize());
            for (int i = 0; i < images.size(); i++) {
                float[] img = clip.model().imageEmbeddings(ip.pixelValues(images.get(i)), 1);
                float[] txt = clip.model().textEmbeddings(List.of(tp.encode(texts.get(i))));
                float want = clip.model().logits(img, 1, txt, 1)[0][0];
                assertEquals(want, got[i], 1e-4, "pair " + i);
            }
            assertArrayEquals(got, pick.score(images, texts), 1e-5, "packed weights: same scores up to rounding");
            assertThrows(IllegalArgumentException.class, () -> clip.score(images, texts.subList(0, 2)));
        }
    }

    @Test
    void missingOrMisShapedTensorsNameTheTensorAndFile(@TempDir Path tmp) throws IOException {
        Path src = ClipParityTest.fixture("clip-tiny");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try (Checkpoint ck = Checkpoint.open(src)) {
            for (String n : ck.names()) {
                tensors.put(n, Tensor.ofFloats(ck.get(n).toFloatArray(), ck.get(n).shape()));
            }
        }
        Files.copy(src.resolve("config.json"), tmp.resolve("config.json"));
        String victim = "text_model.encoder.layers.1.self_attn.q_proj.weight";
        Map<String, Tensor> missing = new LinkedHashMap<>(tensors);
        missing.remove(victim);
        SafetensorsWriter.write(tmp.resolve("model.safetensors"), missing);
        try (ComputePool pool = new ComputePool(1)) {
            CheckpointException e = assertThrows(CheckpointException.class, () -> ClipModel.load(tmp, pool));
            assertTrue(e.getMessage().contains(victim) && e.getMessage().contains("missing")
                    && e.getMessage().contains("model.safetensors"), e.getMessage());

            Map<String, Tensor> misShaped = new LinkedHashMap<>(tensors);
            String fc = "vision_model.encoder.layers.0.mlp.fc1.bias";
            misShaped.put(fc, Tensor.ofFloats(new float[3], 3));
            SafetensorsWriter.write(tmp.resolve("model.safetensors"), misShaped);
            e = assertThrows(CheckpointException.class, () -> ClipModel.load(tmp, pool));
            assertTrue(e.getMessage().contains(fc) && e.getMessage().contains("[3]"), e.getMessage());
        }
    }

    /** A sharded checkpoint (HF's model.safetensors.index.json) loads to the same model. */
    @Test
    void shardedCheckpointGivesTheSameEmbeddings(@TempDir Path tmp) throws IOException {
        Path src = ClipParityTest.fixture("clip-tiny");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try (Checkpoint ck = Checkpoint.open(src)) {
            for (String n : ck.names()) {
                tensors.put(n, Tensor.ofFloats(ck.get(n).toFloatArray(), ck.get(n).shape()));
            }
        }
        Files.copy(src.resolve("config.json"), tmp.resolve("config.json"));
        List<org.mmada4j.io.TensorSpec> specs = new ArrayList<>();
        tensors.forEach((n, t) -> specs.add(org.mmada4j.io.TensorSpec.of(n, t)));
        List<Path> files = SafetensorsWriter.writeSharded(tmp, specs, Map.of(), 40_000, SafetensorsWriter.copyFrom(tensors));
        assertTrue(files.size() > 3, "shards: " + files);
        int size = ClipConfig.load(src).vision().imageSize();
        float[] px = new float[3 * size * size];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) Math.sin(i);
        }
        try (ComputePool pool = new ComputePool(1); ClipModel one = ClipModel.load(src, pool);
             ClipModel sharded = ClipModel.load(tmp, pool)) {
            assertArrayEquals(one.imageEmbeddings(px, 1), sharded.imageEmbeddings(px, 1));
            assertArrayEquals(one.textEmbeddings(List.of(new int[] {0, 5, 7, 98})),
                    sharded.textEmbeddings(List.of(new int[] {0, 5, 7, 98})));
        }
    }
}
