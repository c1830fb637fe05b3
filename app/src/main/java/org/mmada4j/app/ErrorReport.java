package org.mmada4j.app;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * How a failed command ends: one line naming what went wrong (the exceptions of the engine already
 * name the file, tensor or field at fault), then the causes that add something, and exit status 1.
 * The stack trace is for developers: {@code MMADA4J_STACKTRACE=1} prints it too.
 */
final class ErrorReport implements IExecutionExceptionHandler {
    static final int FAILURE = 1;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": error: " + describe(ex));
        List<String> printed = new ArrayList<>(List.of(describe(ex)));
        for (Throwable c = ex.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            String d = describe(c);
            // wrappers often repeat their cause's message: print only what adds something
            if (printed.stream().noneMatch(p -> p.contains(d))) {
                err.println("  caused by: " + d);
                printed.add(d);
            }
        }
        if (showStackTraces()) {
            ex.printStackTrace(err);
        }
        err.flush();
        return FAILURE;
    }

    /** A message a user can act on: the exception's own, or a description of the bare JDK ones. */
    static String describe(Throwable t) {
        String m = t.getMessage();
        if (t instanceof NoSuchFileException e) {
            return "no such file: " + e.getFile() + (e.getReason() == null ? "" : " (" + e.getReason() + ")");
        }
        if (t instanceof AccessDeniedException e) {
            return "permission denied: " + e.getFile();
        }
        if (t instanceof FileAlreadyExistsException e) {
            return "already exists: " + e.getFile();
        }
        if (t instanceof OutOfMemoryError) {
            return "out of memory (" + m + "): raise the heap with MMADA4J_JAVA_OPTS=-Xmx…";
        }
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return m;
    }

    private static boolean showStackTraces() {
        String v = System.getenv("MMADA4J_STACKTRACE");
        return v != null && !v.isBlank() && !v.equals("0");
    }
}
