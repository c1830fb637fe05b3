package org.mmada4j.score;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.mmada4j.vq.ImageFiles;
import org.mmada4j.vq.RgbImage;

/**
 * Any external scorer as an {@link ImageTextScorer}: ImageReward, HPS or a custom Python model, with
 * no Java port. The command is started once and kept running (model loading is the slow part); per
 * pair it receives one JSON line on stdin, {@code {"image": "/tmp/…/pair-0.png", "text": "…"}}, and
 * must answer one line on stdout holding a single number. A minimal Python side:
 * <pre>{@code
 * import sys, json
 * for line in sys.stdin:
 *     req = json.loads(line)
 *     print(my_reward(req["image"], req["text"]), flush=True)
 * }</pre>
 * Failures are {@link ScorerException}s that name the command and the pair and quote the reply or
 * the last lines of its stderr: the process exiting, no answer within the timeout (the process is
 * then killed, and the next call starts a new one), a reply that is not a finite number. Images are
 * written as PNG into a private temporary directory and deleted once answered.
 */
public final class CommandScorer implements ImageTextScorer, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STDERR_LINES = 20;
    /** Marks the end of the process's stdout in the reply queue; compared by identity, so no reply equals it. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String EOF = new String("<eof>");

    private final List<String> command;
    private final String name;
    private final Duration timeout;
    private Process process;
    private OutputStream stdin;
    private BlockingQueue<String> replies;
    private final ArrayDeque<String> stderrTail = new ArrayDeque<>();
    private Path imageDir;

    /**
     * @param command the program and its arguments (no shell: wrap in {@code sh -c} for one)
     * @param name    the scorer's name in metrics, e.g. {@code imagereward}
     * @param timeout longest wait for one answer (the first includes the command's start-up)
     */
    public CommandScorer(List<String> command, String name, Duration timeout) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty scorer command");
        }
        this.command = List.copyOf(command);
        this.name = name;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized double[] score(List<RgbImage> images, List<String> texts) {
        if (images.size() != texts.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + texts.size() + " texts");
        }
        double[] out = new double[images.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = scoreOne(i, images.get(i), texts.get(i));
        }
        return out;
    }

    private double scoreOne(int index, RgbImage image, String text) {
        ensureStarted();
        Path png = imageDir.resolve("pair-" + index + ".png");
        try {
            ImageFiles.writePng(png, image);
            ObjectNode req = JSON.createObjectNode();
            req.put("image", png.toAbsolutePath().toString());
            req.put("text", text);
            try {
                stdin.write((JSON.writeValueAsString(req) + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            } catch (IOException e) {
                throw died("could not send pair " + index + " (" + e.getMessage() + ")");
            }
            String reply;
            try {
                reply = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ScorerException("interrupted while waiting for scorer " + describe());
            }
            if (reply == null) {
                stop();
                throw new ScorerException("scorer " + describe() + " gave no answer for pair " + index + " within "
                        + timeout.toMillis() + " ms; it was killed" + stderrNote());
            }
            if (reply == EOF) {
                throw died("closed its output instead of answering pair " + index);
            }
            return parse(reply.strip(), index);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the image of pair " + index + " to " + png, e);
        } finally {
            try {
                Files.deleteIfExists(png);
            } catch (IOException ignored) {
                // A leftover temporary image is harmless; the directory goes at close.
            }
        }
    }

    private double parse(String reply, int index) {
        String lower = reply.toLowerCase(Locale.ROOT);
        if (lower.matches("[+-]?(nan|inf|infinity)")) { // Python's spellings of non-finite floats
            throw new ScorerException("scorer " + describe() + " answered pair " + index + " with " + reply
                    + ", not a finite number");
        }
        double v;
        try {
            v = Double.parseDouble(reply);
        } catch (NumberFormatException e) {
            throw new ScorerException("scorer " + describe() + " answered pair " + index + " with '" + abbreviate(reply)
                    + "', not a number (one number per line expected on stdout; log to stderr)" + stderrNote());
        }
        if (!Double.isFinite(v)) {
            throw new ScorerException("scorer " + describe() + " answered pair " + index + " with " + reply
                    + ", not a finite number");
        }
        return v;
    }

    private ScorerException died(String what) {
        Process p = process;
        Optional<Integer> code = Optional.empty();
        try {
            if (p != null && p.waitFor(2, TimeUnit.SECONDS)) {
                code = Optional.of(p.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop();
        return new ScorerException("scorer " + describe() + " " + what
                + code.map(c -> "; it exited with status " + c).orElse("; it is not responding") + stderrNote());
    }

    private void ensureStarted() {
        if (process != null && process.isAlive()) {
            return;
        }
        stop();
        try {
            imageDir = Files.createTempDirectory("mmada4j-scorer-");
            ProcessBuilder pb = new ProcessBuilder(command);
            process = pb.start();
            registerShutdownHook();
        } catch (IOException e) {
            throw new ScorerException("cannot start scorer " + describe() + ": " + e.getMessage(), e);
        }
        stdin = process.getOutputStream();
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        replies = queue;
        synchronized (stderrTail) {
            stderrTail.clear();
        }
        Thread out = new Thread(() -> pump(process.getInputStream(), queue::add, () -> queue.add(EOF)),
                "scorer-stdout-" + name);
        Thread err = new Thread(() -> pump(process.getErrorStream(), line -> {
            synchronized (stderrTail) {
                if (stderrTail.size() == STDERR_LINES) {
                    stderrTail.removeFirst();
                }
                stderrTail.addLast(line);
            }
        }, () -> { }), "scorer-stderr-" + name);
        out.setDaemon(true);
        err.setDaemon(true);
        out.start();
        err.start();
    }

    private boolean hooked;

    /** A scorer left open (rewards live as long as the run) must not outlive the JVM as an orphan. */
    private void registerShutdownHook() {
        if (!hooked) {
            hooked = true;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                Process p = process;
                if (p != null) {
                    p.destroy();
                }
            }, "scorer-shutdown-" + name));
        }
    }

    private static void pump(InputStream in, java.util.function.Consumer<String> lines, Runnable atEnd) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.accept(line);
            }
        } catch (IOException ignored) {
            // The process went away; atEnd reports it.
        } finally {
            atEnd.run();
        }
    }

    private String stderrNote() {
        synchronized (stderrTail) {
            return stderrTail.isEmpty() ? "" : "; last stderr lines:\n  " + String.join("\n  ", stderrTail);
        }
    }

    private String describe() {
        return "'" + name + "' (" + String.join(" ", command) + ")";
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }

    private void stop() {
        if (process != null) {
            try {
                stdin.close();
            } catch (IOException ignored) {
                // Already closed by the process's exit.
            }
            try {
                if (!process.waitFor(1, TimeUnit.SECONDS)) {
                    process.destroy();
                    if (!process.waitFor(2, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            process = null;
        }
        if (imageDir != null) {
            try (var files = Files.list(imageDir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(imageDir);
            } catch (IOException ignored) {
                // A leftover temporary directory is harmless; the OS's temp cleaning takes it.
            }
            imageDir = null;
        }
    }

    /** Ends the process (closing its stdin first, so a well-behaved scorer exits on its own). */
    @Override
    public synchronized void close() {
        stop();
    }
}
