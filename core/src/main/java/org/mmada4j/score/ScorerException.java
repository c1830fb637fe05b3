package org.mmada4j.score;

/** A scorer could not produce a score (its model or external process failed); the message says why. */
public final class ScorerException extends RuntimeException {
    public ScorerException(String message) {
        super(message);
    }

    public ScorerException(String message, Throwable cause) {
        super(message, cause);
    }
}
