package org.mmada4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ComputePoolTest {
    @Test
    void everyTaskRunsExactlyOnce() {
        try (ComputePool pool = new ComputePool(3)) {
            for (int round = 0; round < 200; round++) {
                int tasks = 1 + round % 17;
                long[] hits = new long[tasks];
                AtomicLong sum = new AtomicLong();
                pool.parallelFor(tasks, i -> {
                    hits[i]++;
                    sum.addAndGet(i);
                });
                for (int i = 0; i < tasks; i++) {
                    assertEquals(1, hits[i], "task " + i + " of " + tasks);
                }
                assertEquals((long) tasks * (tasks - 1) / 2, sum.get());
            }
        }
    }

    @Test
    void failureInATaskReachesTheCaller() {
        try (ComputePool pool = new ComputePool(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> pool.parallelFor(8, i -> {
                        if (i == 5) {
                            throw new IllegalStateException("task 5 failed");
                        }
                    }));
            assertEquals("task 5 failed", e.getMessage());
            // The pool stays usable after a failure.
            AtomicLong n = new AtomicLong();
            pool.parallelFor(8, i -> n.incrementAndGet());
            assertEquals(8, n.get());
        }
    }

    @Test
    void nestedCallsRunInline() {
        try (ComputePool pool = new ComputePool(2)) {
            AtomicLong n = new AtomicLong();
            pool.parallelFor(4, i -> pool.parallelFor(5, j -> n.incrementAndGet()));
            assertEquals(20, n.get());
        }
    }
}
