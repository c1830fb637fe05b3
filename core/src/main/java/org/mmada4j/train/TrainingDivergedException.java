package org.mmada4j.train;

/** The loss became NaN or infinite; the message names the step and the batch. Earlier checkpoints are kept. */
public final class TrainingDivergedException extends RuntimeException {
    private final long step;

    public TrainingDivergedException(String message, long step) {
        super(message);
        this.step = step;
    }

    public long step() {
        return step;
    }
}
