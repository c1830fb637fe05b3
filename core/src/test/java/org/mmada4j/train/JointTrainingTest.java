package org.mmada4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.mmada4j.tensor.ComputePool;

/** The joint [t2i | lm | mmu] stage on the bundled tiny model and tiny MAGVIT-v2, with generated images. */
class JointTrainingTest {
    static final Path TINY = Path.of("../models/mmada-tiny").toAbsolutePath().normalize();
    static final Path VQ = Path.of("../models/magvit-tiny").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    TrainConfig config(String name, int steps) throws IOException {
        String[] colors = {"red", "green", "blue", "white"};
        Color[] cs = {Color.RED, Color.GREEN, Color.BLUE, Color.WHITE};
        List<String> caps = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
            var g = img.createGraphics();
            g.setColor(cs[i]);
            g.fillRect(8 * i, 8, 24, 24);
            g.dispose();
            ImageIO.write(img, "png", dir.resolve("img" + i + ".png").toFile());
            caps.add("{\"image\": \"img" + i + ".png\", \"caption\": \"a " + colors[i] + " square\"}");
        }
        Files.write(dir.resolve("caps.jsonl"), caps);
        Files.write(dir.resolve("text.jsonl"), List.of("{\"text\": \"squares are red or blue.\"}", "{\"text\": \"a green square.\"}"));
        Files.write(dir.resolve(name + ".properties"), List.of("stage = pretrain", "model = " + TINY, "init_seed = 2",
                "data = text.jsonl", "t2i_data = caps.jsonl", "mmu_data = caps.jsonl", "vq_model = " + VQ,
                "resolution = 64", "max_text_length = 16", "t2i_batch_size = 2", "batch_size = 1", "mmu_batch_size = 2",
                "t2i_coeff = 1.0", "lm_coeff = 0.1", "mmu_coeff = 1.0", "lr = 3e-3", "warmup_steps = 2", "seed = 5",
                "steps = " + steps, "checkpoint_every = 2", "output = " + name, "image_cache = cache"));
        return TrainConfig.load(dir.resolve(name + ".properties"));
    }

    @Test
    void jointStageLearnsAndResumesExactly() throws IOException {
        ComputePool pool = ComputePool.shared();
        TrainConfig a = config("a", 24);
        try (TrainingRun run = TrainingRun.open(a, null, pool)) {
            run.trainer().run(24, null);
        }
        List<Double> l = TrainerTest.losses(a.output());
        double first = l.subList(0, 4).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = l.subList(l.size() - 4, l.size()).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(last < 0.8 * first, "joint loss " + first + " -> " + last);
        assertTrue(Files.list(dir.resolve("cache")).count() == 4, "each image tokenized once");

        TrainConfig b = config("b", 24);
        try (TrainingRun run = TrainingRun.open(b, null, pool)) {
            run.trainer().run(2, null);
        }
        try (TrainingRun run = TrainingRun.open(b, b.output().resolve("checkpoints"), pool)) {
            run.trainer().run(4, null);
        }
        TrainConfig c = config("c", 24);
        try (TrainingRun run = TrainingRun.open(c, null, pool)) {
            run.trainer().run(4, null);
        }
        TrainingCheckpoint.Loaded lb = TrainingCheckpoint.loadLatest(b.output().resolve("checkpoints"));
        TrainingCheckpoint.Loaded lc = TrainingCheckpoint.loadLatest(c.output().resolve("checkpoints"));
        assertEquals(lc.state(), lb.state());
        assertEquals(4, lc.state().otherStreams().size());
        for (String n : lc.params().names()) {
            assertArrayEquals(lc.params().get(n), lb.params().get(n), n);
        }
    }
}
