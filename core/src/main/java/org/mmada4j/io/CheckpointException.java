package org.mmada4j.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint file (safetensors, index) that cannot be read as what it claims to be, or a lookup
 * of a tensor it does not hold. The message always starts with the file (or directory) at fault
 * and names the tensor or header field involved, so a user can find the problem without a
 * debugger. I/O failures of the file system are reported as this type too, with the cause kept.
 */
public final class CheckpointException extends IOException {
    private final Path file;

    public CheckpointException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    public CheckpointException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    /** The file or directory the message is about. */
    public Path file() {
        return file;
    }
}
