package org.mmada4j.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes that never leave a half-written file: write a temporary sibling, then rename over the target. */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** A temporary path next to {@code target} (same directory, so the rename is atomic). */
    public static Path temporarySibling(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        return Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
    }

    /** Moves {@code tmp} over {@code target} atomically where the file system allows. */
    public static void commit(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        Path tmp = temporarySibling(target);
        try {
            Files.write(tmp, bytes);
            commit(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
