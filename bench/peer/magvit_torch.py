"""PyTorch peer for `mmada4j bench vq` and a real-size parity check of MMaDA4J's MAGVIT-v2.

A restatement of MAGVIT-v2 (VQGANEncoder / VQGANDecoder / LFQ as described in
shared/spec/MMADA-REFERENCE.md section 5) in plain torch.nn, loading a MAGVIT directory
(pytorch_model.safetensors + config.json, constructor arguments or none = the real architecture).

  python3 magvit_torch.py DIR bench --size 256 --threads 2 --iters 3
  python3 magvit_torch.py DIR encode IN.npy CODES.npy [LATENT.npy]    # IN float32 [B,3,H,W]
  python3 magvit_torch.py DIR decode CODES.npy PIXELS.npy             # square grids
"""
import argparse, json, struct, sys, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

REAL = {
    "encoder": dict(ch=128, ch_mult=[1, 2, 2, 4, 4], num_res_blocks=[4, 3, 4, 3, 4], attn_resolutions=[5],
                    in_ch=3, out_ch=3, resolution=256, z_channels=13),
    "decoder": dict(ch=128, ch_mult=[1, 1, 2, 2, 4], num_res_blocks=[4, 4, 3, 4, 3], attn_resolutions=[5],
                    in_ch=3, out_ch=3, resolution=256, z_channels=13),
}


def norm(c):
    return nn.GroupNorm(32, c, eps=1e-6, affine=True)


def swish(x):
    return x * torch.sigmoid(x)


class Res(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.norm1, self.conv1 = norm(cin), nn.Conv2d(cin, cout, 3, 1, 1)
        self.norm2, self.conv2 = norm(cout), nn.Conv2d(cout, cout, 3, 1, 1)
        if cin != cout:
            self.nin_shortcut = nn.Conv2d(cin, cout, 1)

    def forward(self, x):
        h = self.conv1(swish(self.norm1(x)))
        h = self.conv2(swish(self.norm2(h)))
        return (self.nin_shortcut(x) if hasattr(self, "nin_shortcut") else x) + h


class Attn(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.norm = norm(c)
        self.q, self.k, self.v, self.proj_out = (nn.Conv2d(c, c, 1) for _ in range(4))

    def forward(self, x):
        h = self.norm(x)
        b, c, hh, ww = x.shape
        q = self.q(h).reshape(b, c, hh * ww).permute(0, 2, 1)
        k = self.k(h).reshape(b, c, hh * ww)
        w = torch.softmax(torch.bmm(q, k) * (int(c) ** -0.5), dim=2)
        v = self.v(h).reshape(b, c, hh * ww)
        o = torch.bmm(v, w.permute(0, 2, 1)).reshape(b, c, hh, ww)
        return x + self.proj_out(o)


class Encoder(nn.Module):
    def __init__(self, ch, ch_mult, num_res_blocks, attn_resolutions, in_ch, resolution, z_channels, **_):
        super().__init__()
        self.conv_in = nn.Conv2d(in_ch, ch, 3, 1, 1)
        self.down = nn.ModuleList()
        res, bin_ = resolution, ch
        for l, m in enumerate(ch_mult):
            lvl = nn.Module()
            lvl.block, lvl.attn = nn.ModuleList(), nn.ModuleList()
            for _ in range(num_res_blocks[l]):
                lvl.block.append(Res(bin_, ch * m))
                bin_ = ch * m
                if res in attn_resolutions:
                    lvl.attn.append(Attn(bin_))
            if l != len(ch_mult) - 1:
                lvl.downsample = nn.Module()
                lvl.downsample.conv = nn.Conv2d(bin_, bin_, 3, 2, 0)
                res //= 2
            self.down.append(lvl)
        self.mid = nn.Module()
        self.mid.block_1, self.mid.attn_1, self.mid.block_2 = Res(bin_, bin_), Attn(bin_), Res(bin_, bin_)
        self.norm_out = norm(bin_)
        self.conv_out = nn.Conv2d(bin_, z_channels, 3, 1, 1)
        self.quant_conv = nn.Conv2d(z_channels, z_channels, 1)

    def forward(self, x):
        h = self.conv_in(x)
        for lvl in self.down:
            for i, blk in enumerate(lvl.block):
                h = blk(h)
                if len(lvl.attn):
                    h = lvl.attn[i](h)
            if hasattr(lvl, "downsample"):
                h = lvl.downsample.conv(F.pad(h, (0, 1, 0, 1)))
        h = self.mid.block_2(self.mid.attn_1(self.mid.block_1(h)))
        return self.quant_conv(self.conv_out(swish(self.norm_out(h))))


class Decoder(nn.Module):
    def __init__(self, ch, ch_mult, num_res_blocks, attn_resolutions, out_ch, resolution, z_channels, **_):
        super().__init__()
        n = len(ch_mult)
        bin_, res = ch * ch_mult[-1], resolution // 2 ** (n - 1)
        self.post_quant_conv = nn.Conv2d(z_channels, z_channels, 1)
        self.conv_in = nn.Conv2d(z_channels, bin_, 3, 1, 1)
        self.mid = nn.Module()
        self.mid.block_1, self.mid.attn_1, self.mid.block_2 = Res(bin_, bin_), Attn(bin_), Res(bin_, bin_)
        ups = {}
        for l in reversed(range(n)):
            lvl = nn.Module()
            lvl.block, lvl.attn = nn.ModuleList(), nn.ModuleList()
            for _ in range(num_res_blocks[l]):
                lvl.block.append(Res(bin_, ch * ch_mult[l]))
                bin_ = ch * ch_mult[l]
                if res in attn_resolutions:
                    lvl.attn.append(Attn(bin_))
            if l != 0:
                lvl.upsample = nn.Module()
                lvl.upsample.conv = nn.Conv2d(bin_, bin_, 3, 1, 1)
                res *= 2
            ups[l] = lvl
        self.up = nn.ModuleList([ups[l] for l in range(n)])
        self.norm_out = norm(bin_)
        self.conv_out = nn.Conv2d(bin_, out_ch, 3, 1, 1)

    def forward(self, z):
        h = self.conv_in(self.post_quant_conv(z))
        h = self.mid.block_2(self.mid.attn_1(self.mid.block_1(h)))
        for l in reversed(range(len(self.up))):
            lvl = self.up[l]
            for i, blk in enumerate(lvl.block):
                h = blk(h)
                if len(lvl.attn):
                    h = lvl.attn[i](h)
            if hasattr(lvl, "upsample"):
                h = lvl.upsample.conv(F.interpolate(h, scale_factor=2.0, mode="nearest"))
        return self.conv_out(swish(self.norm_out(h)))


def read_safetensors(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, v in header.items():
        if name == "__metadata__":
            continue
        a, b = v["data_offsets"]
        dt = {"F32": np.float32, "I64": np.int64}[v["dtype"]]
        out[name] = torch.from_numpy(np.frombuffer(raw, dt, (b - a) // np.dtype(dt).itemsize, 8 + n + a).reshape(v["shape"]).copy())
    return out


def load(d):
    cfg = json.load(open(f"{d}/config.json"))
    if "encoder" not in cfg:
        cfg = REAL
    enc, dec = Encoder(**cfg["encoder"]), Decoder(**cfg["decoder"])
    sd = read_safetensors(f"{d}/pytorch_model.safetensors")
    enc.load_state_dict({k[8:]: v for k, v in sd.items() if k.startswith("encoder.")}, strict=True)
    dec.load_state_dict({k[8:]: v for k, v in sd.items() if k.startswith("decoder.")}, strict=True)
    return enc.eval(), dec.eval(), cfg["encoder"]["z_channels"]


def codes_of(z):
    bits = z.shape[1]
    p = 2 ** torch.arange(bits - 1, -1, -1)
    return ((z > 0).long() * p.reshape(1, -1, 1, 1)).sum(1).reshape(z.shape[0], -1)


def latent_of(codes, bits, gh, gw):
    b = ((codes.reshape(-1, 1) >> torch.arange(bits - 1, -1, -1)) & 1).float() * 2 - 1
    return b.reshape(codes.shape[0], gh, gw, bits).permute(0, 3, 1, 2).contiguous()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("cmd", choices=["bench", "encode", "decode"])
    ap.add_argument("args", nargs="*")
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--threads", type=int, default=torch.get_num_threads())
    ap.add_argument("--iters", type=int, default=3)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    enc, dec, bits = load(a.dir)
    with torch.inference_mode():
        if a.cmd == "encode":
            x = torch.from_numpy(np.load(a.args[0]))
            z = enc(x)
            np.save(a.args[1], codes_of(z).numpy())
            if len(a.args) > 2:
                np.save(a.args[2], z.numpy())
        elif a.cmd == "decode":
            c = torch.from_numpy(np.load(a.args[0]))
            g = int(round(c.shape[1] ** 0.5))
            np.save(a.args[1], dec(latent_of(c, bits, g, g)).numpy())
        else:
            x = torch.rand(1, 3, a.size, a.size) * 2 - 1
            g = a.size // 16
            dec(latent_of(codes_of(enc(x)), bits, g, g))  # warm-up
            te, td = [], []
            for _ in range(a.iters):
                t0 = time.perf_counter(); c = codes_of(enc(x)); t1 = time.perf_counter()
                dec(latent_of(c, bits, g, g)); t2 = time.perf_counter()
                te.append((t1 - t0) * 1e3); td.append((t2 - t1) * 1e3)
            print(json.dumps({"bench": "vq-torch", "torch": torch.__version__, "size": a.size, "threads": a.threads,
                              "iters": a.iters, "encode_ms_median": float(np.median(te)), "encode_ms_min": min(te),
                              "decode_ms_median": float(np.median(td)), "decode_ms_min": min(td)}))


if __name__ == "__main__":
    sys.exit(main())
