#!/usr/bin/env python3
"""Golden data for org.mmada4j.score.ClipImageProcessor: HF CLIPImageProcessor's steps restated with
PIL and numpy (no `transformers`): resize shortest edge (PIL bicubic on uint8), center crop with
(extent - crop) // 2, rescale in float64 then float32, normalise in float32 with OpenAI's mean/std.

Writes OUT_DIR/imageN.png (random RGB, sizes chosen so HF's floor crop differs from a rounded one)
and OUT_DIR/pixel_valuesN.npy [3, S, S], plus meta.json with the size.
"""
import json
import os
import sys

import numpy as np
from PIL import Image

MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)


def preprocess(img, size):
    w, h = img.size
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = size, int(size * long / short)
    new = (new_short, new_long) if w <= h else (new_long, new_short)
    img = img.resize(new, resample=Image.BICUBIC)
    a = np.array(img)  # [H, W, 3] uint8
    H, W = a.shape[:2]
    top, left = (H - size) // 2, (W - size) // 2
    a = a[top:top + size, left:left + size]
    a = (a.astype(np.float64) * (1 / 255)).astype(np.float32)
    a = (a - MEAN) / STD
    return a.transpose(2, 0, 1).astype(np.float32)


def main():
    out = sys.argv[1]
    size = 24
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(5)
    sizes = [(40, 45), (53, 30), (24, 24), (17, 90)]
    for i, (w, h) in enumerate(sizes):
        smooth = rng.integers(0, 256, size=(h // 4 + 2, w // 4 + 2, 3), dtype=np.uint8)
        img = Image.fromarray(smooth).resize((w, h), Image.BILINEAR)
        arr = np.array(img).astype(np.int16) + rng.integers(-20, 21, size=(h, w, 3))
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        img.save(os.path.join(out, f"image{i}.png"))
        np.save(os.path.join(out, f"pixel_values{i}.npy"), preprocess(img, size))
    with open(os.path.join(out, "meta.json"), "w") as f:
        json.dump({"made_by": "scripts/golden/clip/make_preprocess_golden.py", "size": size, "images": len(sizes)}, f)


if __name__ == "__main__":
    main()
