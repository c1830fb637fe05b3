"""Writes verdicts.jsonl: mutated variants of a small valid file (header bytes, JSON numbers, length
prefix, truncation, appended bytes) with the reference library's verdict on each (safetensors 0.8,
safe_open + get_tensor of every tensor). SafetensorsVerdictsTest checks that our reader accepts
exactly the files the reference accepts. Run: python3 make_verdicts.py (needs torch, safetensors)."""
import base64, json, os, random, re, struct, tempfile
import torch
from safetensors import safe_open
from safetensors.torch import save_file

tmp = tempfile.mkdtemp()
base_path = os.path.join(tmp, 'base.safetensors')
save_file({'w': torch.arange(6, dtype=torch.float32).reshape(2, 3), 'b': torch.ones(3, dtype=torch.bfloat16),
           'n': torch.tensor([1, 2], dtype=torch.int64), 'e': torch.zeros(0, dtype=torch.float16)},
          base_path, metadata={'format': 'pt'})
src = open(base_path, 'rb').read()
he = 8 + struct.unpack('<Q', src[:8])[0]
rnd = random.Random(20261123)

def with_header(h):
    hb = h.encode('latin1')
    return struct.pack('<Q', len(hb)) + hb + src[he:]

def mutate():
    b = bytearray(src)
    k = rnd.randrange(6)
    h = bytes(b[8:he]).decode('latin1')
    if k == 0:
        for _ in range(rnd.randint(1, 3)):
            b[rnd.randrange(8, he)] ^= 1 << rnd.randrange(8)
        return bytes(b)
    if k == 1:
        b[rnd.randrange(8, he)] = ord(rnd.choice('{}[],:"0123456789-. eE\\'))
        return bytes(b)
    if k == 2:
        m = rnd.choice(list(re.finditer(r'(?<=[\[,])\d+', h)))
        old = int(m.group())
        new = rnd.choice([0, old + 1, max(0, old - 1), old * 2, old + 8, 2**63 - 1, 2**64, rnd.randrange(64)])
        return with_header(h[:m.start()] + str(new) + h[m.end():])
    if k == 3:
        return bytes(b[:rnd.randrange(len(b))])
    if k == 4:
        return bytes(b) + bytes(rnd.randint(1, 15))
    at = rnd.randrange(len(h))
    return with_header(h[:at] + h[at + 1:] if rnd.random() < .5 else h[:at] + h[at] + h[at:])

def verdict(data):
    p = os.path.join(tmp, 'case.safetensors')
    open(p, 'wb').write(data)
    try:
        with safe_open(p, 'pt') as f:
            for key in f.keys():
                f.get_tensor(key)
        return 'accept'
    except Exception:
        return 'reject'

with open('verdicts.jsonl', 'w') as out:
    out.write(json.dumps({'file': base64.b64encode(src).decode(), 'reference': verdict(src)}) + '\n')
    for _ in range(600):
        data = mutate()
        out.write(json.dumps({'file': base64.b64encode(data).decode(), 'reference': verdict(data)}) + '\n')
