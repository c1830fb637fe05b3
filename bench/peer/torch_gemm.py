#!/usr/bin/env python3
"""PyTorch peer for MMaDA4J's GEMM benchmark (bench/.../GemmBench.java): C = A @ W.T at the same
shapes ("MxNxK": A [M, K] fp32, W [N, K]) on 1 and 2 threads, fp32 (MKL/oneDNN sgemm) and bf16
(A and W in bf16: oneDNN's avx512_bf16 kernel, the CPU's bf16 dot-product instructions).

Prints one JSON line per measurement: shape, dtype, threads, best and median ms, GFLOP/s (best).
Usage: python3 bench/peer/torch_gemm.py [--shapes 512x768x768,...] [--threads 1,2] [--reps 20]
"""
import argparse, json, time
import torch

SHAPES = "512x768x768,512x768x2304,512x2304x768,512x8192x768,512x4096x4096"


def bench(m, n, k, dtype, threads, reps, clock):
    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(0)
    a = (torch.rand(m, k, generator=g) - 0.5).to(dtype)
    w = (torch.rand(n, k, generator=g) - 0.5).to(dtype)
    c = torch.empty(m, n, dtype=dtype)
    for _ in range(3):
        torch.matmul(a, w.t(), out=c)
    times = []
    t_end = time.perf_counter() + 2.0
    while len(times) < reps or (time.perf_counter() < t_end and len(times) < 10 * reps):
        t0 = clock()
        torch.matmul(a, w.t(), out=c)
        times.append(clock() - t0)
    times.sort()
    best, med = times[0], times[len(times) // 2]
    return {"peer": "torch.matmul", "torch": torch.__version__, "shape": f"{m}x{n}x{k}",
            "dtype": str(dtype).replace("torch.", ""), "threads": threads,
            "clock": "thread_cpu" if clock is time.thread_time else "wall",
            "best_ms": round(best * 1e3, 3), "median_ms": round(med * 1e3, 3),
            "gflops_best": round(2 * m * n * k / best / 1e9, 1), "gflops_median": round(2 * m * n * k / med / 1e9, 1)}


def bench_attention(l, h, d, threads, reps, clock):
    """F.scaled_dot_product_attention, batch 1, bidirectional, as AttentionBench / CpuTimeKernels."""
    import torch.nn.functional as F
    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(0)
    q, k, v = ((torch.rand(1, h, l, d, generator=g) - 0.5) for _ in range(3))
    for _ in range(3):
        F.scaled_dot_product_attention(q, k, v)
    times = []
    for _ in range(reps):
        t0 = clock()
        F.scaled_dot_product_attention(q, k, v)
        times.append(clock() - t0)
    times.sort()
    best, med = times[0], times[len(times) // 2]
    flops = 4 * l * l * h * d
    return {"peer": "F.scaled_dot_product_attention", "torch": torch.__version__, "shape": f"{l}x{h}x{d}",
            "threads": threads, "clock": "thread_cpu" if clock is time.thread_time else "wall",
            "best_ms": round(best * 1e3, 3), "median_ms": round(med * 1e3, 3),
            "gflops_best": round(flops / best / 1e9, 1), "gflops_median": round(flops / med / 1e9, 1)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shapes", default=SHAPES)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--dtypes", default="float32,bfloat16")
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--cpu-time", action="store_true",
                    help="time with the calling thread's CPU clock (threads=1 only: the GEMM runs on it), "
                         "robust to other jobs sharing the machine")
    ap.add_argument("--attention", action="store_true", help="also time attention at L=512, 12 heads, D=64")
    args = ap.parse_args()
    for s in args.shapes.split(","):
        m, n, k = (int(x) for x in s.split("x"))
        for dt in args.dtypes.split(","):
            for t in (int(x) for x in args.threads.split(",")):
                clock = time.thread_time if args.cpu_time else time.perf_counter
                if args.cpu_time and t != 1:
                    continue
                print(json.dumps(bench(m, n, k, getattr(torch, dt), t, args.reps, clock)), flush=True)
    if args.attention:
        for t in (int(x) for x in args.threads.split(",")):
            if args.cpu_time and t != 1:
                continue
            clock = time.thread_time if args.cpu_time else time.perf_counter
            print(json.dumps(bench_attention(512, 12, 64, t, args.reps, clock)), flush=True)


if __name__ == "__main__":
    main()
