package org.mmada4j.data;

/** A dataset line or image that cannot be used; the message names the file, the line and the field. */
public final class DataFormatException extends RuntimeException {
    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
