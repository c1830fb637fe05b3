#!/usr/bin/env python3
"""PyTorch peer of `mmada4j bench clip`: times image and text embedding of a CLIPModel directory with
the clean-room restatement of HF's forward (scripts/golden/clip/make_clip_golden.py), same shapes.

Usage: clip_torch.py MODEL_DIR [--threads 2] [--iters 5] [--batch 1] [--text-tokens 20]
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch
from safetensors.torch import load_file

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "golden", "clip"))
from make_clip_golden import text_forward, vision_forward  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--iters", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--text-tokens", type=int, default=20)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    cfg = json.load(open(os.path.join(a.model, "config.json")))
    t, v = cfg["text_config"], cfg["vision_config"]
    w = load_file(os.path.join(a.model, "model.safetensors"))
    g = torch.Generator().manual_seed(1)
    pixels = torch.rand(a.batch, 3, v["image_size"], v["image_size"], generator=g) * 2 - 1
    ids = torch.randint(t["vocab_size"], (a.batch, a.text_tokens), generator=g)
    attn = torch.ones_like(ids)
    img_ms, txt_ms = [], []
    with torch.inference_mode():
        for i in range(a.warmup + a.iters):
            t0 = time.perf_counter()
            vision_forward(w, v, pixels)
            t1 = time.perf_counter()
            text_forward(w, t, ids, attn)
            t2 = time.perf_counter()
            if i >= a.warmup:
                img_ms.append((t1 - t0) * 1e3)
                txt_ms.append((t2 - t1) * 1e3)
    print(json.dumps({"bench": "clip_torch", "torch": torch.__version__, "threads": a.threads, "batch": a.batch,
                      "image_ms_median": statistics.median(img_ms), "image_ms_min": min(img_ms),
                      "text_ms_median": statistics.median(txt_ms), "text_ms_min": min(txt_ms)}))


if __name__ == "__main__":
    main()
