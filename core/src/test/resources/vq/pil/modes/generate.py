"""Fixtures for ImageFilesTest.pngModesMatchPil: PNGs in the modes PIL opens differently, each with
np.asarray(Image.open(f).convert("RGB")) as <name>.npy (uint8 stored as int64). Run here: python3 generate.py"""
import struct, zlib
import numpy as np
from PIL import Image

rng = np.random.default_rng(1)
a = (rng.random((7, 9, 3)) * 255).astype(np.uint8)
Image.fromarray(a).convert("P", palette=Image.ADAPTIVE, colors=16).save("p.png")
Image.fromarray(a).convert("LA").save("la.png")
Image.fromarray(a).convert("1").save("one.png")
Image.fromarray(a).convert("L").save("l.png")
Image.fromarray(np.dstack([a, (rng.random((7, 9)) * 255).astype(np.uint8)]), "RGBA").save("rgba.png")
Image.fromarray((rng.random((7, 9)) * 65535).astype(np.uint16)).save("i16.png")
# 16-bit RGB, written by hand (PIL cannot write it)
b = (rng.random((3, 5, 3)) * 65535).astype(">u2")
raw = b"".join(b"\x00" + b[y].tobytes() for y in range(3))
chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
open("rgb16.png", "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 5, 3, 16, 2, 0, 0, 0))
                              + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
for f in ["p", "la", "one", "l", "rgba", "i16", "rgb16"]:
    np.save(f + ".npy", np.asarray(Image.open(f + ".png").convert("RGB")).astype(np.int64))
