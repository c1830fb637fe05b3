package org.mmada4j.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;
import org.mmada4j.tensor.Attention;
import org.mmada4j.tensor.AttentionMask;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.DType;
import org.mmada4j.tensor.Gemm;
import org.mmada4j.tensor.PackedWeight;
import org.mmada4j.tensor.Tensor;

/**
 * Single-thread kernel speed measured in CPU time of the calling thread rather than wall time:
 * on a machine shared with other jobs, wall time mostly measures the other jobs, while the thread's
 * own CPU time still shows how many flops it does per cycle it gets. Companion of JMH's wall-clock
 * {@link GemmBench} and of {@code bench/peer/torch_gemm.py --cpu-time}.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp benchmarks.jar
 * org.mmada4j.bench.CpuTimeKernels [reps]}. Prints one JSON line per measurement.
 */
public final class CpuTimeKernels {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private CpuTimeKernels() {
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        String only = args.length > 1 ? args[1] : "";
        FmaPeakBench fma = new FmaPeakBench();
        double flopsFma = 2.0 * 100_000 * 16 * 16;
        report("fma-peak", "-", "-", measure(reps * 3, () -> fma.fma16Chains()), flopsFma);
        String[] shapes = {"512x768x768", "512x768x2304", "512x2304x768", "512x8192x768", "512x4096x4096"};
        try (ComputePool pool = new ComputePool(1); Arena arena = Arena.ofShared()) {
            for (String shape : shapes) {
                if (!shape.contains(only)) {
                    continue;
                }
                String[] p = shape.split("x");
                int m = Integer.parseInt(p[0]), n = Integer.parseInt(p[1]), k = Integer.parseInt(p[2]);
                Random rnd = new Random(1);
                float[] a = new float[m * k];
                for (int i = 0; i < a.length; i++) {
                    a[i] = rnd.nextFloat() - 0.5f;
                }
                float[] c = new float[m * n];
                for (DType dt : new DType[] {DType.F32, DType.BF16}) {
                    MemorySegment seg = arena.allocate((long) n * k * dt.bytes(), 64);
                    for (long i = 0; i < (long) n * k; i++) {
                        float v = rnd.nextFloat() - 0.5f;
                        if (dt == DType.F32) {
                            seg.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, v);
                        } else {
                            seg.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, Tensor.floatToBf16(v));
                        }
                    }
                    Tensor w = new Tensor(dt, new long[] {n, k}, seg);
                    double flops = 2.0 * m * n * k;
                    report("gemm", shape, dt.name(), measure(reps,
                            () -> Gemm.matmulNT(pool, a, 0, k, w, 0, c, 0, n, m, n, k, false)), flops);
                    PackedWeight pw = PackedWeight.pack(pool, w);
                    report("gemm-prepacked", shape, dt.name(), measure(reps,
                            () -> Gemm.matmulNT(pool, a, 0, k, pw, c, 0, n, m, false)), flops);
                }
            }
            if ("attention".contains(only)) {
                int l = 512, h = 12, d = 64;
                Random rnd = new Random(2);
                float[] q = new float[l * h * d], kk = new float[l * h * d], v = new float[l * h * d], o = new float[l * h * d];
                for (int i = 0; i < q.length; i++) {
                    q[i] = rnd.nextFloat() - 0.5f;
                    kk[i] = rnd.nextFloat() - 0.5f;
                    v[i] = rnd.nextFloat() - 0.5f;
                }
                report("attention", l + "x" + h + "x" + d, "F32", measure(reps,
                        () -> Attention.forward(pool, q, kk, v, o, 1, l, l, 0, h, d, AttentionMask.none())),
                        4.0 * l * l * h * d);
            }
        }
    }

    private static double[] measure(int reps, Runnable r) {
        for (int i = 0; i < 3; i++) {
            r.run();
        }
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = MX.getCurrentThreadCpuTime();
            r.run();
            t[i] = (MX.getCurrentThreadCpuTime() - t0) / 1e9;
        }
        Arrays.sort(t);
        return t;
    }

    private static void report(String what, String shape, String dtype, double[] t, double flops) {
        System.out.printf("{\"kernel\": \"%s\", \"shape\": \"%s\", \"dtype\": \"%s\", \"threads\": 1, \"cpu_ms_best\": %.3f, "
                        + "\"cpu_ms_median\": %.3f, \"gflops_cpu_best\": %.1f, \"gflops_cpu_median\": %.1f}%n",
                what, shape, dtype, t[0] * 1e3, t[t.length / 2] * 1e3, flops / t[0] / 1e9, flops / t[t.length / 2] / 1e9);
    }
}
