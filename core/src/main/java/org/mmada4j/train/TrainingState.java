package org.mmada4j.train;

/**
 * Everything besides tensors that a resumed run needs to continue exactly: optimizer updates done,
 * the data stream's position, the noising random stream's state, and counters for the logs.
 *
 * @param step          optimizer updates completed (AdamW's t; the schedule's step)
 * @param dataEpoch     epoch of the data stream
 * @param dataIndex     examples of that epoch already consumed
 * @param rngState      state of the noising {@link SeededRandom}
 * @param tokensSeen    training tokens processed so far
 * @param lastLoss      loss of the last completed step (NaN before the first)
 * @param otherStreams  (epoch, index) pairs of further data streams (the joint stage's t2i and mmu data)
 */
public record TrainingState(long step, long dataEpoch, long dataIndex, long rngState, long tokensSeen, double lastLoss,
                            java.util.List<Long> otherStreams) {
    public TrainingState {
        otherStreams = java.util.List.copyOf(otherStreams);
    }

    public TrainingState(long step, long dataEpoch, long dataIndex, long rngState, long tokensSeen, double lastLoss) {
        this(step, dataEpoch, dataIndex, rngState, tokensSeen, lastLoss, java.util.List.of());
    }
}
