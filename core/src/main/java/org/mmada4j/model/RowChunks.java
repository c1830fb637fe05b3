package org.mmada4j.model;

import org.mmada4j.tensor.ComputePool;

/**
 * Splits row-wise work into fixed chunks for the compute pool. The chunking depends only on the
 * number of rows, never on the thread count, so results are identical for any number of threads.
 */
final class RowChunks {
    /** Rows per task: small enough to balance two to sixteen threads, big enough to amortise a task. */
    static final int GRAIN = 16;

    interface RangeBody {
        void run(int from, int to);
    }

    private RowChunks() {
    }

    static void run(ComputePool pool, int rows, RangeBody body) {
        int tasks = (rows + GRAIN - 1) / GRAIN;
        pool.parallelFor(tasks, t -> body.run(t * GRAIN, Math.min(rows, (t + 1) * GRAIN)));
    }
}
