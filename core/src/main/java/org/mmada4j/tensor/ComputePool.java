package org.mmada4j.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The engine's one thread pool: {@code threads - 1} daemon workers plus the calling thread.
 *
 * <p>{@link #parallelFor} splits {@code [0, tasks)} into tasks that the caller defines; the work of a
 * task never depends on how many threads run it, so results are identical for any thread count
 * (kernels must partition by problem size, never by {@link #threads()}, when that matters for
 * floating-point order). With one thread, or one task, everything runs inline on the caller.
 * Nested calls from inside a task run inline.
 */
public final class ComputePool implements AutoCloseable {
    private static volatile ComputePool shared;

    private final int threads;
    private final Thread[] workers;
    private final Object lock = new Object();
    private final ThreadLocal<Boolean> insideTask = ThreadLocal.withInitial(() -> false);

    // The job being run; replaced per parallelFor call under `lock`.
    private volatile Job job;
    private volatile boolean closed;

    private static final class Job {
        final IntConsumer body;
        final int tasks;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;
        final Thread caller;

        Job(IntConsumer body, int tasks, Thread caller) {
            this.body = body;
            this.tasks = tasks;
            this.caller = caller;
        }
    }

    public ComputePool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            Thread t = new Thread(this::workerLoop, "mmada4j-compute-" + (i + 1));
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    /**
     * A process-wide pool sized by the system property {@code mmada4j.threads} (default: available
     * processors). Commands and tests that do not manage their own pool use this one.
     */
    public static ComputePool shared() {
        ComputePool p = shared;
        if (p == null) {
            synchronized (ComputePool.class) {
                p = shared;
                if (p == null) {
                    int n = Integer.getInteger("mmada4j.threads", Runtime.getRuntime().availableProcessors());
                    p = new ComputePool(Math.max(1, n));
                    shared = p;
                }
            }
        }
        return p;
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code body.accept(i)} for every i in [0, tasks), returns when all are done. */
    public void parallelFor(int tasks, IntConsumer body) {
        if (tasks <= 0) {
            return;
        }
        if (threads == 1 || tasks == 1 || insideTask.get()) {
            for (int i = 0; i < tasks; i++) {
                body.accept(i);
            }
            return;
        }
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("compute pool is closed");
            }
            Job j = new Job(body, tasks, Thread.currentThread());
            job = j;
            for (Thread w : workers) {
                LockSupport.unpark(w);
            }
            runTasks(j);
            while (j.done.get() < j.tasks) {
                LockSupport.park(this);
            }
            job = null;
            Throwable f = j.failure;
            if (f instanceof RuntimeException re) {
                throw re;
            } else if (f instanceof Error e) {
                throw e;
            } else if (f != null) {
                throw new RuntimeException(f);
            }
        }
    }

    private void runTasks(Job j) {
        insideTask.set(true);
        try {
            int i;
            while ((i = j.next.getAndIncrement()) < j.tasks) {
                try {
                    if (j.failure == null) {
                        j.body.accept(i);
                    }
                } catch (Throwable t) {
                    j.failure = t;
                } finally {
                    if (j.done.incrementAndGet() == j.tasks) {
                        LockSupport.unpark(j.caller);
                    }
                }
            }
        } finally {
            insideTask.set(false);
        }
    }

    private void workerLoop() {
        Job last = null;
        while (!closed) {
            Job j = job;
            if (j != null && j != last) {
                last = j;
                runTasks(j);
                continue;
            }
            // Spin briefly: kernels issue many short parallel sections back to back.
            boolean found = false;
            for (int spin = 0; spin < 20_000; spin++) {
                Job k = job;
                if (k != null && k != last) {
                    found = true;
                    break;
                }
                Thread.onSpinWait();
            }
            if (!found) {
                LockSupport.park(this);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
