package org.mmada4j.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes that never leave a half-written file: write a temporary sibling, then rename over the
 * target. Callers delete the temporary in a {@code finally} (a no-op once it has been renamed), so
 * a failure leaves the previous target, if any, untouched and no partial file behind.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /**
     * A new, empty temporary file next to {@code target} (same directory, so the rename is atomic),
     * named {@code .<target name>.<random>.tmp}. Unlike {@link Files#createTempFile} it gets the
     * permissions of any new file (the umask's), which the renamed result keeps.
     */
    public static Path temporarySibling(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        while (true) {
            String name = "." + abs.getFileName() + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp";
            try {
                return Files.createFile(dir.resolve(name));
            } catch (FileAlreadyExistsException e) {
                // another writer drew the same name: draw again
            }
        }
    }

    /** Moves {@code tmp} over {@code target} atomically where the file system allows. */
    public static void commit(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Writes {@code bytes} to {@code target} atomically. */
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
