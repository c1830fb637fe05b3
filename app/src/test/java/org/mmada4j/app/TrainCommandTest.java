package org.mmada4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmada4j.io.Checkpoint;
import picocli.CommandLine;

/** {@code train --config} end to end on the bundled tiny model: stop early, resume, finish, export. */
class TrainCommandTest {
    @TempDir
    Path tmp;

    @Test
    void trainStopResumeAndExport() throws Exception {
        Path model = Path.of("..", "models", "mmada-tiny").toAbsolutePath().normalize();
        Files.write(tmp.resolve("corpus.jsonl"), List.of("{\"text\": \"hello world\"}", "{\"text\": \"hello there\"}",
                "not json at all"));
        Path cfg = tmp.resolve("run.properties");
        Files.write(cfg, List.of("stage = pretrain", "model = " + model, "data = corpus.jsonl", "output = out",
                "steps = 4", "batch_size = 2", "seq_length = 16", "lr = 1e-3", "checkpoint_every = 2",
                "malformed = skip", "export_dtype = bf16"));
        assertEquals(0, new CommandLine(new Main()).execute("train", "--config", cfg.toString(), "--max-steps", "2"));
        Path out = tmp.resolve("out");
        assertEquals("step-00000002", Files.readString(out.resolve("checkpoints/latest")).trim());
        assertEquals(0, new CommandLine(new Main()).execute("train", "--config", cfg.toString(),
                "--resume", out.resolve("checkpoints").toString()));
        assertEquals("step-00000004", Files.readString(out.resolve("checkpoints/latest")).trim());
        assertEquals(4, Files.readAllLines(out.resolve("metrics.jsonl")).size());
        assertTrue(Files.size(out.resolve("loss.png")) > 1000);
        try (Checkpoint ck = Checkpoint.open(out.resolve("model"))) {
            assertTrue(ck.names().contains("model.transformer.wte.weight"));
        }
        // a config error names the key
        Files.write(cfg, List.of("stage = pretrain", "model = " + model, "data = corpus.jsonl", "stepz = 3"));
        assertEquals(1, new CommandLine(new Main()).setExecutionExceptionHandler((e, c, p) -> {
            assertTrue(e.getMessage().contains("stepz"), e.getMessage());
            return 1;
        }).execute("train", "--config", cfg.toString()));
    }
}
