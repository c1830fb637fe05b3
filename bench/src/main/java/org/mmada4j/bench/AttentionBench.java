package org.mmada4j.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.mmada4j.tensor.Attention;
import org.mmada4j.tensor.AttentionMask;
import org.mmada4j.tensor.AttentionReference;
import org.mmada4j.tensor.ComputePool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bidirectional attention of one layer of the "100M" shape: batch 1, L queries and keys, 12 heads of
 * 64. GFLOP/s = 4·L²·H·D / time (Q·Kᵀ and P·V). Checked once against the scalar twin before timing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class AttentionBench {
    @Param({"512"})
    public int length;

    @Param({"12"})
    public int heads;

    @Param({"64"})
    public int headDim;

    @Param({"1", "2"})
    public int threads;

    @Param({"false", "true"})
    public boolean padding;

    private float[] q;
    private float[] k;
    private float[] v;
    private float[] out;
    private AttentionMask mask;
    private ComputePool pool;

    @Setup(Level.Trial)
    public void setUp() {
        Random rnd = new Random(7);
        int size = length * heads * headDim;
        q = random(rnd, size);
        k = random(rnd, size);
        v = random(rnd, size);
        out = new float[size];
        if (padding) {
            int[] m = new int[length];
            for (int i = 0; i < length; i++) {
                m[i] = i < length - length / 8 ? 1 : 0;
            }
            mask = AttentionMask.padding(m, 1, length);
        } else {
            mask = AttentionMask.none();
        }
        pool = new ComputePool(threads);
        attention();
        float[] want = new float[size];
        AttentionReference.forward(q, k, v, want, 1, length, length, 0, heads, headDim, mask);
        for (int i = 0; i < size; i++) {
            if (Math.abs(want[i] - out[i]) > 1e-4) {
                throw new IllegalStateException("attention check failed at " + i + ": " + out[i] + " vs " + want[i]);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] attention() {
        Attention.forward(pool, q, k, v, out, 1, length, length, 0, heads, headDim, mask);
        return out;
    }

    private static float[] random(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextFloat() * 2 - 1;
        }
        return x;
    }
}
