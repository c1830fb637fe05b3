package org.mmada4j.data;

import java.util.SplittableRandom;

/**
 * An endless stream of a dataset's examples: each epoch visits every line once in a permutation
 * drawn from {@code (seed, epoch)}, so the position {@code (epoch, index)} alone determines what
 * comes next — a resumed run continues with exactly the examples it would have seen.
 *
 * <p>Malformed lines are skipped and counted under {@link MalformedPolicy#SKIP} (the count is
 * exposed and meant to be reported), or rethrown under {@link MalformedPolicy#FAIL}.
 */
public final class ShuffledStream {
    private final JsonlDataset dataset;
    private final long seed;
    private final MalformedPolicy policy;
    private long epoch;
    private int index;
    private int[] order;
    private long malformed;

    public ShuffledStream(JsonlDataset dataset, long seed, MalformedPolicy policy) {
        if (dataset.size() == 0) {
            throw new IllegalArgumentException("dataset " + dataset.file() + " has no examples");
        }
        this.dataset = dataset;
        this.seed = seed;
        this.policy = policy;
        seek(0, 0);
    }

    /** Continues from a saved position. */
    public void seek(long epoch, long index) {
        if (index < 0 || index > dataset.size()) {
            throw new IllegalArgumentException("data position " + index + " outside [0, " + dataset.size() + "] of " + dataset.file());
        }
        this.epoch = epoch;
        this.index = (int) index;
        this.order = permutation(dataset.size(), seed, epoch);
    }

    public long epoch() {
        return epoch;
    }

    public long index() {
        return index;
    }

    /** Malformed lines skipped so far. */
    public long malformedSkipped() {
        return malformed;
    }

    public TrainingExample next() {
        int attempts = 0;
        while (true) {
            if (index == order.length) {
                seek(epoch + 1, 0);
            }
            int line = order[index++];
            try {
                return dataset.read(line);
            } catch (DataFormatException e) {
                if (policy == MalformedPolicy.FAIL) {
                    throw e;
                }
                malformed++;
                if (++attempts > dataset.size()) {
                    throw new DataFormatException("every line of " + dataset.file() + " is malformed (last: " + e.getMessage() + ")");
                }
            }
        }
    }

    /** Fisher–Yates over [0, n) with a generator seeded from (seed, epoch). */
    static int[] permutation(int n, long seed, long epoch) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
