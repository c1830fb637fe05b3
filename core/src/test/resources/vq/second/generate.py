"""Second MAGVIT configuration for MagvitSecondConfigTest, beyond what the golden sets cover:
attention inside a level (attn_resolutions hit), a decoder with fewer levels than the encoder,
5 bits, a rectangular 32x48 input and grid, batch 2.

Outputs come from bench/peer/magvit_torch.py (a plain torch.nn restatement of MAGVIT-v2 that matches
the golden tiny set: latent 1.3e-6, pixels 7.3e-6). Run from this directory: python3 generate.py
"""
import json, os, struct, sys
import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../../../bench/peer"))
import magvit_torch as mt

cfg = {
    "encoder": dict(ch=32, ch_mult=[1, 1, 1], num_res_blocks=[1, 2, 1], attn_resolutions=[16], dropout=0.0,
                    in_ch=3, out_ch=3, resolution=32, z_channels=5, double_z=False),
    "decoder": dict(ch=32, ch_mult=[1, 1], num_res_blocks=[2, 1], attn_resolutions=[8], dropout=0.0,
                    in_ch=3, out_ch=3, resolution=16, z_channels=5, double_z=False),
    "quantizer": dict(num_codebook_entry=-1, codebook_dim=5),
}
torch.manual_seed(0)
enc, dec = mt.Encoder(**cfg["encoder"]), mt.Decoder(**cfg["decoder"])
with torch.no_grad():
    for m in list(enc.modules()) + list(dec.modules()):
        if isinstance(m, torch.nn.GroupNorm):
            m.weight.add_(torch.randn_like(m.weight) * 0.1)
            m.bias.add_(torch.randn_like(m.bias) * 0.1)
sd = {**{"encoder." + k: v for k, v in enc.state_dict().items()}, **{"decoder." + k: v for k, v in dec.state_dict().items()}}

header, blobs, off = {}, [], 0
for name in sorted(sd):
    a = sd[name].contiguous().numpy().astype("<f4").tobytes()
    header[name] = {"dtype": "F32", "shape": list(sd[name].shape), "data_offsets": [off, off + len(a)]}
    blobs.append(a)
    off += len(a)
h = json.dumps(header, separators=(",", ":")).encode()
h += b" " * ((8 - len(h) % 8) % 8)
with open("pytorch_model.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))
json.dump(cfg, open("config.json", "w"), indent=2)

x = torch.from_numpy(np.random.default_rng(5).uniform(-1, 1, (2, 3, 32, 48)).astype(np.float32))
with torch.inference_mode():
    z = enc(x)
    codes = mt.codes_of(z)
    gh, gw = z.shape[2], z.shape[3]
    px = dec(mt.latent_of(codes, 5, gh, gw))
np.save("input.npy", x.numpy())
np.save("latent.npy", z.numpy())
np.save("codes.npy", codes.numpy().reshape(2, gh, gw))
np.save("decoded.npy", px.numpy())
print("latent", tuple(z.shape), "min |z|", float(z.abs().min()), "codes", codes.tolist(), "pixels", tuple(px.shape))
