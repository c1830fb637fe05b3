#!/usr/bin/env python3
"""Golden data for MMaDA4J's CLIP (org.mmada4j.score.ClipModel): a tiny random CLIP and its outputs.

A clean-room restatement, in plain PyTorch, of the forward pass of Hugging Face's CLIPModel
(modeling_clip.py) — no `transformers` here. It writes, into one directory:
  config.json            HF layout: text_config / vision_config / projection_dim / logit_scale_init_value
  model.safetensors      tensors under HF's names (vision_model.*, text_model.*, *_projection.weight, logit_scale)
  pixel_values.npy       [B, 3, H, W] fp32, already preprocessed
  input_ids.npy          [B, L] int64, padded with pad_token_id after the EOS
  attention_mask.npy     [B, L] int64
  image_embeds.npy       [B, P] projected, L2-normalised
  text_embeds.npy        [B, P]
  logits_per_image.npy   [B, B] = exp(logit_scale) · image_embeds · text_embedsᵀ
  meta.json              what made it

Usage: make_clip_golden.py OUT_DIR [--variant quick|gelu]
"""
import argparse
import json
import math
import os

import numpy as np
import torch
from safetensors.torch import save_file

VARIANTS = {
    # Legacy config: eos_token_id == 2, so pooling takes the position of the highest id (argmax).
    "quick": dict(
        text=dict(vocab_size=99, hidden_size=40, intermediate_size=72, num_hidden_layers=2, num_attention_heads=4,
                  max_position_embeddings=24, hidden_act="quick_gelu", layer_norm_eps=1e-5,
                  bos_token_id=0, eos_token_id=2, pad_token_id=1),
        vision=dict(hidden_size=48, intermediate_size=80, num_hidden_layers=2, num_attention_heads=4,
                    image_size=32, patch_size=8, num_channels=3, hidden_act="quick_gelu", layer_norm_eps=1e-5),
        projection_dim=24, seed=1),
    # Newer config: eos_token_id is a real id (not the highest), pooling takes its first occurrence; exact gelu.
    "gelu": dict(
        text=dict(vocab_size=131, hidden_size=32, intermediate_size=64, num_hidden_layers=3, num_attention_heads=2,
                  max_position_embeddings=20, hidden_act="gelu", layer_norm_eps=1e-6,
                  bos_token_id=129, eos_token_id=100, pad_token_id=0),
        vision=dict(hidden_size=36, intermediate_size=60, num_hidden_layers=3, num_attention_heads=3,
                    image_size=40, patch_size=10, num_channels=3, hidden_act="gelu", layer_norm_eps=1e-6),
        projection_dim=16, seed=2),
}


def act(name, x):
    if name == "quick_gelu":
        return x * torch.sigmoid(1.702 * x)
    if name == "gelu":
        return torch.nn.functional.gelu(x)  # exact (erf) form, HF's "gelu"
    raise ValueError(name)


def rand_weights(cfg, proj, g):
    w = {}

    def n(name, *shape, std=0.1):
        w[name] = torch.randn(*shape, generator=g) * std

    def ln(prefix, d):
        w[prefix + ".weight"] = 1 + torch.randn(d, generator=g) * 0.1
        w[prefix + ".bias"] = torch.randn(d, generator=g) * 0.1

    def layers(prefix, c):
        d, f = c["hidden_size"], c["intermediate_size"]
        for i in range(c["num_hidden_layers"]):
            p = f"{prefix}.encoder.layers.{i}"
            ln(p + ".layer_norm1", d)
            ln(p + ".layer_norm2", d)
            for m in ("q_proj", "k_proj", "v_proj", "out_proj"):
                n(f"{p}.self_attn.{m}.weight", d, d, std=d ** -0.5)
                n(f"{p}.self_attn.{m}.bias", d)
            n(p + ".mlp.fc1.weight", f, d, std=d ** -0.5)
            n(p + ".mlp.fc1.bias", f)
            n(p + ".mlp.fc2.weight", d, f, std=f ** -0.5)
            n(p + ".mlp.fc2.bias", d)

    t, v = cfg["text"], cfg["vision"]
    n("text_model.embeddings.token_embedding.weight", t["vocab_size"], t["hidden_size"], std=0.5)
    n("text_model.embeddings.position_embedding.weight", t["max_position_embeddings"], t["hidden_size"], std=0.5)
    layers("text_model", t)
    ln("text_model.final_layer_norm", t["hidden_size"])
    d, p, c = v["hidden_size"], v["patch_size"], v["num_channels"]
    n("vision_model.embeddings.class_embedding", d, std=0.5)
    n("vision_model.embeddings.patch_embedding.weight", d, c, p, p, std=(c * p * p) ** -0.5)
    npos = (v["image_size"] // p) ** 2 + 1
    n("vision_model.embeddings.position_embedding.weight", npos, d, std=0.5)
    ln("vision_model.pre_layrnorm", d)  # sic: HF's name
    layers("vision_model", v)
    ln("vision_model.post_layernorm", d)
    n("visual_projection.weight", proj, d, std=d ** -0.5)
    n("text_projection.weight", proj, t["hidden_size"], std=t["hidden_size"] ** -0.5)
    w["logit_scale"] = torch.tensor(math.log(1 / 0.07))
    return w


def encoder(w, prefix, c, x, mask):
    """CLIPEncoder: pre-norm layers; mask is an additive [L, L] or [B, 1, L, L] bias or None."""
    b, L, d = x.shape
    h = c["num_attention_heads"]
    hd = d // h
    eps = c["layer_norm_eps"]
    lin = lambda t, name: t @ w[name + ".weight"].T + w[name + ".bias"]
    for i in range(c["num_hidden_layers"]):
        p = f"{prefix}.encoder.layers.{i}"
        r = x
        x = torch.nn.functional.layer_norm(x, (d,), w[p + ".layer_norm1.weight"], w[p + ".layer_norm1.bias"], eps)
        q = lin(x, p + ".self_attn.q_proj") * hd ** -0.5
        k = lin(x, p + ".self_attn.k_proj")
        v = lin(x, p + ".self_attn.v_proj")
        q, k, v = (t.view(b, L, h, hd).transpose(1, 2) for t in (q, k, v))
        s = q @ k.transpose(-1, -2)
        if mask is not None:
            s = s + mask
        a = torch.softmax(s, dim=-1) @ v
        a = a.transpose(1, 2).reshape(b, L, d)
        x = r + lin(a, p + ".self_attn.out_proj")
        r = x
        x = torch.nn.functional.layer_norm(x, (d,), w[p + ".layer_norm2.weight"], w[p + ".layer_norm2.bias"], eps)
        x = lin(act(c["hidden_act"], lin(x, p + ".mlp.fc1")), p + ".mlp.fc2")
        x = r + x
    return x


def vision_forward(w, c, pixels):
    d, p = c["hidden_size"], c["patch_size"]
    x = torch.nn.functional.conv2d(pixels, w["vision_model.embeddings.patch_embedding.weight"], stride=p)
    x = x.flatten(2).transpose(1, 2)  # [B, N, d]
    cls = w["vision_model.embeddings.class_embedding"].expand(x.shape[0], 1, d)
    x = torch.cat([cls, x], dim=1) + w["vision_model.embeddings.position_embedding.weight"]
    eps = c["layer_norm_eps"]
    x = torch.nn.functional.layer_norm(x, (d,), w["vision_model.pre_layrnorm.weight"], w["vision_model.pre_layrnorm.bias"], eps)
    x = encoder(w, "vision_model", c, x, None)
    pooled = torch.nn.functional.layer_norm(x[:, 0], (d,), w["vision_model.post_layernorm.weight"],
                                            w["vision_model.post_layernorm.bias"], eps)
    return pooled @ w["visual_projection.weight"].T


def text_forward(w, c, ids, attn):
    b, L = ids.shape
    d = c["hidden_size"]
    x = w["text_model.embeddings.token_embedding.weight"][ids] + w["text_model.embeddings.position_embedding.weight"][:L]
    neg = torch.finfo(torch.float32).min
    causal = torch.triu(torch.full((L, L), neg), diagonal=1)
    pad = (1 - attn[:, None, None, :].float()) * neg
    x = encoder(w, "text_model", c, x, causal + pad)
    x = torch.nn.functional.layer_norm(x, (d,), w["text_model.final_layer_norm.weight"],
                                       w["text_model.final_layer_norm.bias"], c["layer_norm_eps"])
    if c["eos_token_id"] == 2:
        pos = ids.argmax(dim=-1)  # legacy: the highest id is the EOS
    else:
        pos = (ids == c["eos_token_id"]).int().argmax(dim=-1)  # first occurrence
    pooled = x[torch.arange(b), pos]
    return pooled @ w["text_projection.weight"].T


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--variant", default="quick", choices=sorted(VARIANTS))
    a = ap.parse_args()
    cfg = VARIANTS[a.variant]
    g = torch.Generator().manual_seed(cfg["seed"])
    w = rand_weights(cfg, cfg["projection_dim"], g)
    t, v = cfg["text"], cfg["vision"]

    batch = 3
    pixels = torch.randn(batch, 3, v["image_size"], v["image_size"], generator=g) * 1.5
    # Texts of different lengths: BOS, content ids (below EOS in the legacy config so argmax finds it), EOS, pads.
    L = t["max_position_embeddings"]
    lengths = [L, 7, 3]
    ids = torch.full((batch, L), t["pad_token_id"], dtype=torch.int64)
    attn = torch.zeros(batch, L, dtype=torch.int64)
    special = {t["bos_token_id"], t["eos_token_id"], t["pad_token_id"]}
    content = [i for i in range(t["vocab_size"]) if i not in special and (t["eos_token_id"] != 2 or i < t["vocab_size"] - 1)]
    for bi, n in enumerate(lengths):
        body = [content[int(j)] for j in torch.randint(len(content), (n - 2,), generator=g)]
        seq = [t["bos_token_id"]] + body + [t["eos_token_id"]]
        if t["eos_token_id"] == 2:
            seq[-1] = t["vocab_size"] - 1  # legacy tokenizers: EOS is the highest id in the vocabulary
        ids[bi, :n] = torch.tensor(seq)
        attn[bi, :n] = 1

    with torch.no_grad():
        img = vision_forward(w, v, pixels)
        txt = text_forward(w, t, ids, attn)
        img = img / img.norm(dim=-1, keepdim=True)
        txt = txt / txt.norm(dim=-1, keepdim=True)
        logits = w["logit_scale"].exp() * img @ txt.T

    os.makedirs(a.out, exist_ok=True)
    config = {"architectures": ["CLIPModel"], "model_type": "clip", "projection_dim": cfg["projection_dim"],
              "logit_scale_init_value": 2.6592, "text_config": dict(t, model_type="clip_text_model", projection_dim=cfg["projection_dim"]),
              "vision_config": dict(v, model_type="clip_vision_model", projection_dim=cfg["projection_dim"])}
    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    save_file({k: x.contiguous().float() for k, x in w.items()}, os.path.join(a.out, "model.safetensors"))
    np.save(os.path.join(a.out, "pixel_values.npy"), pixels.numpy().astype(np.float32))
    np.save(os.path.join(a.out, "input_ids.npy"), ids.numpy())
    np.save(os.path.join(a.out, "attention_mask.npy"), attn.numpy())
    np.save(os.path.join(a.out, "image_embeds.npy"), img.numpy().astype(np.float32))
    np.save(os.path.join(a.out, "text_embeds.npy"), txt.numpy().astype(np.float32))
    np.save(os.path.join(a.out, "logits_per_image.npy"), logits.numpy().astype(np.float32))
    with open(os.path.join(a.out, "meta.json"), "w") as f:
        json.dump({"made_by": "scripts/golden/clip/make_clip_golden.py", "variant": a.variant, "torch": torch.__version__,
                   "batch": batch, "text_lengths": lengths}, f, indent=2)


if __name__ == "__main__":
    main()
