package org.mmada4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.mmada4j.io.AtomicFiles;

/**
 * Training checkpoints under one root directory, one sub-directory per step:
 * <pre>
 *   root/step-00000100/model.safetensors       fp32 master weights (state-dict names)
 *   root/step-00000100/adam_m.safetensors      AdamW first moments
 *   root/step-00000100/adam_v.safetensors      AdamW second moments
 *   root/step-00000100/state.json              {@link TrainingState} + AdamW hyper-parameters
 *   root/latest                                name of the newest complete checkpoint
 * </pre>
 * A checkpoint is written into a hidden temporary directory, flushed to disk, renamed into place in
 * one atomic step, and only then does {@code latest} (itself replaced atomically) point to it. A write
 * that fails anywhere before that leaves the previous checkpoint and {@code latest} untouched.
 */
public final class TrainingCheckpoint {
    public static final String LATEST = "latest";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A loaded checkpoint. */
    public record Loaded(Path dir, ParameterSet params, AdamW optimizer, TrainingState state) {
    }

    /** Called before each file of a checkpoint is written; tests inject failures through it. */
    @FunctionalInterface
    public interface WriteObserver {
        void beforeWrite(String fileName) throws IOException;

        WriteObserver NONE = f -> { };
    }

    private TrainingCheckpoint() {
    }

    public static String dirName(long step) {
        return String.format("step-%08d", step);
    }

    /** Saves a checkpoint of {@code step}; keeps the newest {@code keep} (≥ 1) and deletes older ones. */
    public static Path save(Path root, ParameterSet params, AdamW optimizer, TrainingState state, int keep,
                            WriteObserver observer) throws IOException {
        Files.createDirectories(root);
        Path target = root.resolve(dirName(state.step()));
        Path tmp = Files.createTempDirectory(root, "." + dirName(state.step()) + ".");
        try {
            writeTensors(tmp, "model.safetensors", params, observer);
            writeTensors(tmp, "adam_m.safetensors", optimizer.firstMoment(), observer);
            writeTensors(tmp, "adam_v.safetensors", optimizer.secondMoment(), observer);
            observer.beforeWrite("state.json");
            Files.write(tmp.resolve("state.json"), stateJson(state, optimizer));
            fsync(tmp.resolve("state.json"));
            if (Files.exists(target)) {
                deleteTree(target); // a stale checkpoint of the same step (an interrupted earlier run)
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            observer.beforeWrite(LATEST);
            AtomicFiles.write(root.resolve(LATEST), target.getFileName().toString().getBytes(StandardCharsets.UTF_8));
        } finally {
            if (Files.exists(tmp)) {
                deleteTree(tmp);
            }
        }
        prune(root, keep, target);
        return target;
    }

    private static void writeTensors(Path dir, String name, ParameterSet set, WriteObserver observer) throws IOException {
        observer.beforeWrite(name);
        Path f = dir.resolve(name);
        CheckpointTensors.write(set, CheckpointTensors.Precision.F32, f);
        fsync(f);
    }

    private static void fsync(Path f) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private static byte[] stateJson(TrainingState s, AdamW opt) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("format", "mmada4j-train-checkpoint-1");
        n.put("step", s.step());
        n.put("data_epoch", s.dataEpoch());
        n.put("data_index", s.dataIndex());
        n.put("rng_state", Long.toUnsignedString(s.rngState()));
        n.put("tokens_seen", s.tokensSeen());
        n.put("last_loss", Double.isFinite(s.lastLoss()) ? Double.toString(s.lastLoss()) : "NaN");
        var other = n.putArray("other_streams");
        s.otherStreams().forEach(other::add);
        ObjectNode a = n.putObject("adamw");
        a.put("step", opt.step());
        a.put("beta1", opt.hyper().beta1());
        a.put("beta2", opt.hyper().beta2());
        a.put("eps", opt.hyper().eps());
        a.put("weight_decay", opt.hyper().weightDecay());
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
    }

    /** The newest complete checkpoint under {@code root} (named by {@code root/latest}). */
    public static Loaded loadLatest(Path root) throws IOException {
        Path latest = root.resolve(LATEST);
        if (!Files.exists(latest)) {
            throw new IOException(root + ": no checkpoint (missing '" + LATEST + "')");
        }
        String name = Files.readString(latest, StandardCharsets.UTF_8).trim();
        if (!name.matches("step-\\d+")) {
            throw new IOException(latest + ": does not name a checkpoint directory: '" + name + "'");
        }
        return load(root.resolve(name));
    }

    /** Loads one checkpoint directory; any missing or inconsistent part is an error naming it. */
    public static Loaded load(Path dir) throws IOException {
        Path stateFile = dir.resolve("state.json");
        if (!Files.exists(stateFile)) {
            throw new IOException(dir + ": missing state.json");
        }
        JsonNode n;
        try {
            n = JSON.readTree(stateFile.toFile());
        } catch (IOException e) {
            throw new IOException(stateFile + ": not valid JSON: " + e.getMessage(), e);
        }
        TrainingState state = new TrainingState(field(n, "step", stateFile).asLong(), field(n, "data_epoch", stateFile).asLong(),
                field(n, "data_index", stateFile).asLong(), Long.parseUnsignedLong(field(n, "rng_state", stateFile).asText()),
                field(n, "tokens_seen", stateFile).asLong(), Double.parseDouble(field(n, "last_loss", stateFile).asText()),
                otherStreams(n));
        JsonNode a = field(n, "adamw", stateFile);
        ParameterSet params = CheckpointTensors.read(dir.resolve("model.safetensors"));
        ParameterSet m = CheckpointTensors.read(dir.resolve("adam_m.safetensors"));
        ParameterSet v = CheckpointTensors.read(dir.resolve("adam_v.safetensors"));
        params.requireSameLayout(m, dir.resolve("adam_m.safetensors").toString());
        params.requireSameLayout(v, dir.resolve("adam_v.safetensors").toString());
        AdamW opt = new AdamW(new AdamW.Hyper(field(a, "beta1", stateFile).asDouble(), field(a, "beta2", stateFile).asDouble(),
                field(a, "eps", stateFile).asDouble(), field(a, "weight_decay", stateFile).asDouble()), m, v,
                field(a, "step", stateFile).asLong());
        return new Loaded(dir, params, opt, state);
    }

    private static java.util.List<Long> otherStreams(JsonNode n) {
        java.util.List<Long> out = new ArrayList<>();
        n.path("other_streams").forEach(v -> out.add(v.asLong()));
        return out;
    }

    private static JsonNode field(JsonNode n, String name, Path file) throws IOException {
        JsonNode f = n.get(name);
        if (f == null || f.isNull()) {
            throw new IOException(file + ": missing field '" + name + "'");
        }
        return f;
    }

    private static void prune(Path root, int keep, Path newest) throws IOException {
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            s.filter(p -> p.getFileName().toString().matches("step-\\d+") && Files.isDirectory(p)).forEach(dirs::add);
        }
        dirs.sort(Comparator.comparing(p -> p.getFileName().toString()));
        for (int i = 0; i < dirs.size() - Math.max(1, keep); i++) {
            if (!dirs.get(i).equals(newest)) {
                deleteTree(dirs.get(i));
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(q);
            }
        }
    }
}
