package org.mmada4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmada4j.tensor.ComputePool;

class TrainingCheckpointTest {
    @TempDir
    Path root;

    static ParameterSet params(float base) {
        return new ParameterSet()
                .add("w", new long[] {2, 3}, new float[] {base, 1, 2, 3, 4, Float.MIN_VALUE})
                .add("n", new long[] {3}, new float[] {-0f, 0.1f, base * 7});
    }

    @Test
    void roundTripIsBitExact() throws IOException {
        ParameterSet p = params(0.5f);
        AdamW opt = new AdamW(AdamW.Hyper.reference(), p);
        opt.update(ComputePool.shared(), p, params(0.25f), 1e-3);
        TrainingState st = new TrainingState(1, 2, 17, 0xFEDCBA9876543210L, 1234, 3.25);
        TrainingCheckpoint.save(root, p, opt, st, 2, TrainingCheckpoint.WriteObserver.NONE);
        TrainingCheckpoint.Loaded l = TrainingCheckpoint.loadLatest(root);
        assertEquals(st, l.state());
        assertEquals(1, l.optimizer().step());
        for (String n : p.names()) {
            assertArrayEquals(p.get(n), l.params().get(n), n);
            assertArrayEquals(opt.firstMoment().get(n), l.optimizer().firstMoment().get(n), n);
            assertArrayEquals(opt.secondMoment().get(n), l.optimizer().secondMoment().get(n), n);
        }
    }

    @Test
    void failedWriteLeavesPreviousCheckpointLoadable() throws IOException {
        ParameterSet p1 = params(1f);
        AdamW opt = new AdamW(AdamW.Hyper.reference(), p1);
        TrainingCheckpoint.save(root, p1, opt, new TrainingState(10, 0, 10, 1, 100, 2.0), 3,
                TrainingCheckpoint.WriteObserver.NONE);
        for (String failAt : new String[] {"adam_m.safetensors", "state.json", TrainingCheckpoint.LATEST}) {
            ParameterSet p2 = params(9f);
            IOException e = assertThrows(IOException.class, () -> TrainingCheckpoint.save(root, p2, opt,
                    new TrainingState(20, 0, 20, 2, 200, 1.0), 3, f -> {
                        if (f.equals(failAt)) {
                            throw new IOException("disk full (injected) at " + f);
                        }
                    }));
            assertTrue(e.getMessage().contains(failAt));
            TrainingCheckpoint.Loaded l = TrainingCheckpoint.loadLatest(root);
            assertEquals(10, l.state().step(), "latest still the previous checkpoint after failing at " + failAt);
            assertArrayEquals(p1.get("n"), l.params().get("n"));
            try (Stream<Path> s = Files.list(root)) {
                assertEquals(0, s.filter(x -> x.getFileName().toString().startsWith(".")).count(), "temporary files left");
            }
        }
    }

    @Test
    void keepsOnlyTheNewest() throws IOException {
        ParameterSet p = params(1f);
        AdamW opt = new AdamW(AdamW.Hyper.reference(), p);
        for (int s = 1; s <= 4; s++) {
            TrainingCheckpoint.save(root, p, opt, new TrainingState(s, 0, s, 1, s, 1.0), 2, TrainingCheckpoint.WriteObserver.NONE);
        }
        try (Stream<Path> s = Files.list(root)) {
            assertEquals(3, s.count()); // two checkpoints + latest
        }
        assertEquals(4, TrainingCheckpoint.loadLatest(root).state().step());
    }

    @Test
    void truncatedTensorFileIsNamedInTheError() throws IOException {
        ParameterSet p = params(1f);
        Path dir = TrainingCheckpoint.save(root, p, new AdamW(AdamW.Hyper.reference(), p),
                new TrainingState(5, 0, 0, 0, 0, 1), 1, TrainingCheckpoint.WriteObserver.NONE);
        Path f = dir.resolve("adam_v.safetensors");
        byte[] b = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(b, b.length - 4));
        IOException e = assertThrows(IOException.class, () -> TrainingCheckpoint.loadLatest(root));
        assertTrue(e.getMessage().contains("adam_v.safetensors"), e.getMessage());
    }
}
