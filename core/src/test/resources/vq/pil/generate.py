"""Fixtures for BicubicResamplerTest: PIL (Pillow) bicubic resizes of synthetic RGB images.

Run from this directory: python3 generate.py. Writes src_*.png (inputs) and cases.json
(per case: source, target size, the PIL output as a flat list of bytes, and the operation:
`resize` = Image.resize((w, h), BICUBIC); `shorter` = torchvision Resize(size) + CenterCrop(size)
restated with PIL: shorter side -> size, longer int(size*long/short), crop offsets round((e-size)/2)).
"""
import json
import numpy as np
import PIL
from PIL import Image

rng = np.random.default_rng(7)
sources = {}
for name, (w, h) in {"a": (37, 23), "b": (16, 40), "c": (9, 9)}.items():
    yy, xx = np.mgrid[0:h, 0:w]
    base = np.stack([128 + 100 * np.sin(xx / 3.0 + c) * np.cos(yy / 4.0 - c) for c in range(3)], -1)
    img = np.clip(base + rng.normal(0, 40, base.shape), 0, 255).astype(np.uint8)
    img[0, 0] = [0, 255, 0]  # hard edges: ringing must clip
    img[h // 2, w // 2] = [255, 0, 255]
    Image.fromarray(img, "RGB").save(f"src_{name}.png")
    sources[name] = Image.open(f"src_{name}.png").convert("RGB")

cases = []
for src, w, h in [("a", 16, 16), ("a", 11, 7), ("a", 80, 50), ("a", 37, 10), ("a", 5, 23),
                  ("b", 8, 8), ("b", 13, 29), ("b", 31, 3), ("c", 4, 4), ("c", 25, 14), ("c", 1, 1)]:
    out = sources[src].resize((w, h), Image.BICUBIC)
    cases.append({"op": "resize", "source": f"src_{src}.png", "width": w, "height": h,
                  "pixels": list(np.asarray(out).reshape(-1).tolist())})
for src, size in [("a", 16), ("a", 8), ("b", 12), ("b", 16), ("c", 6)]:
    im = sources[src]
    w, h = im.size
    if w <= h:
        nw, nh = size, int(size * h / w)
    else:
        nw, nh = int(size * w / h), size
    r = im.resize((nw, nh), Image.BICUBIC)
    top, left = int(round((nh - size) / 2.0)), int(round((nw - size) / 2.0))
    out = r.crop((left, top, left + size, top + size))
    cases.append({"op": "shorter", "source": f"src_{src}.png", "width": size, "height": size,
                  "pixels": list(np.asarray(out).reshape(-1).tolist())})
json.dump({"pillow": PIL.__version__, "cases": cases}, open("cases.json", "w"))
print(len(cases), "cases, Pillow", PIL.__version__)
