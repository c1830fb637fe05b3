#!/usr/bin/env python3
"""PyTorch peer of `mmada4j bench generate`: LLaDA's semi-autoregressive low-confidence remasking
(generate.py `generate`: a full forward of the whole sequence per step, argmax, float64 softmax
confidence, per-block transfer counts, top-k) on torch_bench.py's MMaDA-shaped model with random weights.

Prints one JSON line per dtype: forward passes, ms per sample, tokens/s (all generated tokens / wall time).
Usage: python3 bench/peer/torch_sampler.py --preset 100m --prompt-length 128 --gen-length 256 --block-length 32 --steps 64
"""
import argparse, json, os, sys, time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.environ.get("MMADA4J_PEER_DIR", "/work/shared/peer"))
from torch_bench import Model, PRESETS  # noqa: E402


def num_transfer_tokens(mask_index, steps):
    mask_num = mask_index.sum(dim=1, keepdim=True)
    base = mask_num // steps
    rem = mask_num % steps
    out = torch.zeros(mask_num.size(0), steps, dtype=torch.int64) + base
    for i in range(mask_num.size(0)):
        out[i, :rem[i]] += 1
    return out


@torch.no_grad()
def generate(model, prompt, steps, gen_length, block_length, mask_id):
    x = torch.full((prompt.shape[0], prompt.shape[1] + gen_length), mask_id, dtype=torch.long)
    x[:, :prompt.shape[1]] = prompt
    num_blocks = gen_length // block_length
    steps //= num_blocks
    nfe = 0
    for nb in range(num_blocks):
        s, e = prompt.shape[1] + nb * block_length, prompt.shape[1] + (nb + 1) * block_length
        k = num_transfer_tokens(x[:, s:e] == mask_id, steps)
        for i in range(steps):
            mask_index = x == mask_id
            logits = model(x)
            nfe += 1
            x0 = torch.argmax(logits, dim=-1)
            p = F.softmax(logits.to(torch.float64), dim=-1)
            x0_p = torch.gather(p, -1, x0.unsqueeze(-1)).squeeze(-1)
            x0_p[:, e:] = -float("inf")
            x0 = torch.where(mask_index, x0, x)
            conf = torch.where(mask_index, x0_p, torch.tensor(-float("inf"), dtype=torch.float64))
            transfer = torch.zeros_like(x0, dtype=torch.bool)
            for j in range(conf.shape[0]):
                _, sel = torch.topk(conf[j], k=int(k[j, i]))
                transfer[j, sel] = True
            x[transfer] = x0[transfer]
    return x, nfe


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preset", choices=sorted(PRESETS), default="100m")
    ap.add_argument("--prompt-length", type=int, default=128)
    ap.add_argument("--gen-length", type=int, default=256)
    ap.add_argument("--block-length", type=int, default=32)
    ap.add_argument("--steps", type=int, default=256)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--dtypes", default="fp32,bf16")
    ap.add_argument("--mask-id", type=int, default=7000)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    cfg = PRESETS[a.preset]
    for name in a.dtypes.split(","):
        dt = {"fp32": torch.float32, "bf16": torch.bfloat16}[name]
        model = Model(cfg["layers"], cfg["d"], cfg["heads"], cfg["mlp"], cfg["vocab"], 500000.0).to(dt).eval()
        prompt = torch.randint(0, cfg["vocab"], (1, a.prompt_length))
        prompt[prompt == a.mask_id] = 0
        t0 = time.perf_counter()
        x, nfe = generate(model, prompt, a.steps, a.gen_length, a.block_length, a.mask_id)
        dt_s = time.perf_counter() - t0
        assert not (x[:, a.prompt_length:] == a.mask_id).all(), "nothing generated"
        print(json.dumps(dict(peer=f"torch {torch.__version__}", bench="generate", mode="exact (full forward per step)",
                              dtype=name, threads=a.threads, prompt_length=a.prompt_length, gen_length=a.gen_length,
                              block_length=a.block_length, steps=a.steps, nfe=nfe, ms_per_sample=round(dt_s * 1e3, 1),
                              tokens_per_s=round(a.gen_length / dt_s, 3))), flush=True)


if __name__ == "__main__":
    main()
