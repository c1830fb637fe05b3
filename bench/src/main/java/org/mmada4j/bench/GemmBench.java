package org.mmada4j.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.DType;
import org.mmada4j.tensor.Gemm;
import org.mmada4j.tensor.PackedWeight;
import org.mmada4j.tensor.Tensor;
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
 * {@code C[m,n] = A[m,k]·Wᵀ} at the model's shapes ("MxNxK"), W stored F32 or BF16 in native memory
 * (as a mapped checkpoint), on a pool of 1 or 2 threads. GFLOP/s = 2·m·n·k / time. {@code packed}:
 * W packed once ({@link PackedWeight}) instead of per call. Each trial checks a few outputs against
 * a double-precision dot product before timing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx6g"})
public class GemmBench {
    @Param({"512x768x768", "512x768x2304", "512x2304x768", "512x8192x768", "512x4096x4096"})
    public String shape;

    @Param({"F32", "BF16"})
    public String dtype;

    @Param({"1", "2"})
    public int threads;

    @Param({"false"})
    public boolean packed;

    private int m;
    private int n;
    private int k;
    private float[] a;
    private float[] c;
    private Tensor w;
    private PackedWeight pw;
    private ComputePool pool;
    private Arena arena;

    @Setup(Level.Trial)
    public void setUp() {
        String[] p = shape.split("x");
        m = Integer.parseInt(p[0]);
        n = Integer.parseInt(p[1]);
        k = Integer.parseInt(p[2]);
        Random rnd = new Random(42);
        a = new float[m * k];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextFloat() - 0.5f;
        }
        DType dt = DType.valueOf(dtype);
        arena = Arena.ofShared();
        MemorySegment seg = arena.allocate((long) n * k * dt.bytes(), 64);
        for (long i = 0; i < (long) n * k; i++) {
            float v = rnd.nextFloat() - 0.5f;
            if (dt == DType.F32) {
                seg.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, v);
            } else {
                seg.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, Tensor.floatToBf16(v));
            }
        }
        w = new Tensor(dt, new long[] {n, k}, seg);
        c = new float[m * n];
        pool = new ComputePool(threads);
        pw = packed ? PackedWeight.pack(pool, w) : null;
        gemm();
        for (int t = 0; t < 16; t++) {
            int i = rnd.nextInt(m);
            int j = rnd.nextInt(n);
            double s = 0;
            for (int q = 0; q < k; q++) {
                s += (double) a[i * k + q] * w.getFloat((long) j * k + q);
            }
            if (Math.abs(s - c[i * n + j]) > 1e-4 * Math.sqrt(k)) {
                throw new IllegalStateException("GEMM check failed at (" + i + ", " + j + "): " + c[i * n + j] + " vs " + s);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        arena.close();
    }

    @Benchmark
    public float[] gemm() {
        if (pw != null) {
            Gemm.matmulNT(pool, a, 0, k, pw, c, 0, n, m, false);
        } else {
            Gemm.matmulNT(pool, a, 0, k, w, 0, c, 0, n, m, n, k, false);
        }
        return c;
    }
}
