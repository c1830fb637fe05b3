package org.mmada4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ErrorReportTest {
    @TempDir
    Path dir;

    @Test
    void failedCommandPrintsTheMessageNotAStackTrace() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute("inspect", "--model", dir.resolve("absent").toString());
        assertEquals(ErrorReport.FAILURE, rc);
        String text = err.toString();
        assertTrue(text.startsWith("mmada4j inspect: error: "), text);
        assertTrue(text.contains(dir.resolve("absent").toString()), text);
        assertFalse(text.contains("\tat "), "stack trace printed:\n" + text);
    }

    @Test
    void badTensorFileIsNamed() throws IOException {
        Path model = dir.resolve("model");
        Files.createDirectories(model);
        Files.copy(Path.of("../models/mmada-tiny/config.json"), model.resolve("config.json"));
        Files.write(model.resolve("model.safetensors"), new byte[] {1, 2, 3});
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        assertEquals(ErrorReport.FAILURE, cl.execute("inspect", "--model", model.toString()));
        assertTrue(err.toString().contains("model.safetensors"), err.toString());
    }

    @Test
    void bareJdkExceptionsAreDescribedAndCausesNotRepeated() {
        assertEquals("no such file: /x/y", ErrorReport.describe(new NoSuchFileException("/x/y")));
        assertEquals("IllegalStateException", ErrorReport.describe(new IllegalStateException()));
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Failing()).setExecutionExceptionHandler(new ErrorReport());
        cl.setErr(new PrintWriter(err));
        assertEquals(ErrorReport.FAILURE, cl.execute());
        String[] lines = err.toString().strip().split("\n");
        assertEquals(2, lines.length, err.toString());
        assertTrue(lines[0].endsWith("error: reading the data: no such file: data.jsonl"), lines[0]);
        assertEquals("  caused by: disk on fire", lines[1]);
    }

    @CommandLine.Command(name = "failing")
    static final class Failing implements Runnable {
        @Override
        public void run() {
            IOException root = new IOException("disk on fire");
            NoSuchFileException nsf = new NoSuchFileException("data.jsonl");
            nsf.initCause(root);
            throw new UncheckedIOException("reading the data: " + ErrorReport.describe(nsf), nsf);
        }
    }
}
