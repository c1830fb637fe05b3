#!/usr/bin/env python3
"""Golden sets for MMaDA4J from a clean-room restatement of the reference (reference.py).

  python3 scripts/golden/make_golden.py check /work/shared/golden/tiny      # re-derive tiny, compare every file
  python3 scripts/golden/make_golden.py make /tmp/golden-g2 [--preset g2]   # write a second set

`check` loads tiny's config, weights, token map and sampler settings, takes the recorded random inputs
(random ids, the image, the t2i draws, the training draws) from the set, recomputes everything else and
compares it with the stored arrays: it validates the restatement against the real reference's outputs.
`make` writes a set in exactly tiny's format (same file names, same meta.json keys) with the preset's sizes,
ids and settings; the model weights are stored bf16 in two shards with model.safetensors.index.json when the
preset says so (all goldens are then computed from the bf16-rounded weights in fp32).
"""
import argparse
import copy
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import load_file, save_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference as R  # noqa: E402
from presets import PRESETS  # noqa: E402

TEMPLATE = "/work/shared/golden/tiny"


# ----------------------------------------------------------------------------------------------------------------
# weights

def load_model(d, cfg):
    model = R.MMada(cfg)
    if os.path.exists(os.path.join(d, "model.safetensors.index.json")):
        idx = json.load(open(os.path.join(d, "model.safetensors.index.json")))
        sd = {}
        for f in sorted(set(idx["weight_map"].values())):
            sd.update(load_file(os.path.join(d, f)))
    else:
        sd = load_file(os.path.join(d, "model.safetensors"))
    model.load_state_dict({k: v.float() for k, v in sd.items()}, strict=True)
    return model.eval()


def load_magvit(d, mc):
    m = R.Magvit(mc)
    m.load_state_dict(load_file(os.path.join(d, "magvit.safetensors")), strict=True)
    return m.eval()


def init_model(cfg, seed):
    torch.manual_seed(seed)
    model = R.MMada(cfg)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("wte.weight"):
                p.normal_(0, 1)
            elif "norm" in name or "ln_f" in name:
                p.copy_(1 + 0.1 * torch.randn_like(p))
            else:
                std = 1.5 / math.sqrt(p.shape[1])
                if ".q_proj." in name or ".k_proj." in name:
                    std *= 2
                p.normal_(0, std)
    return model.eval()


def init_magvit(mc, seed):
    torch.manual_seed(seed)
    m = R.Magvit(mc)
    with torch.no_grad():
        for mod in m.modules():
            if isinstance(mod, torch.nn.GroupNorm):
                mod.weight.add_(0.1 * torch.randn_like(mod.weight))
                mod.bias.add_(0.1 * torch.randn_like(mod.bias))
    return m.eval()


def bf16_round(model):
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.to(torch.bfloat16).float())


def save_model(model, d, dtype, shards):
    sd = {k: v.detach().to(dtype).contiguous() for k, v in model.state_dict().items()}
    if shards == 1:
        save_file(sd, os.path.join(d, "model.safetensors"), metadata={"format": "pt"})
        return
    keys = list(sd)
    total = sum(v.numel() * v.element_size() for v in sd.values())
    parts, cur, size = [[]], 0, total / shards
    for k in keys:
        if cur >= size * len(parts) and len(parts) < shards:
            parts.append([])
        parts[-1].append(k)
        cur += sd[k].numel() * sd[k].element_size()
    wm = {}
    for i, ks in enumerate(parts):
        name = "model-%05d-of-%05d.safetensors" % (i + 1, len(parts))
        save_file({k: sd[k] for k in ks}, os.path.join(d, name), metadata={"format": "pt"})
        wm.update({k: name for k in ks})
    with open(os.path.join(d, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": dict(sorted(wm.items()))}, f, indent=2)


# ----------------------------------------------------------------------------------------------------------------
# the whole set

class Source:
    """Random inputs: read from the set under check, or made fresh."""

    def __init__(self, check_dir):
        self.dir = check_dir

    def get(self, name, make):
        if self.dir:
            return np.load(os.path.join(self.dir, name))
        return make()


def L(x):
    return torch.as_tensor(np.asarray(x), dtype=torch.long)


def compute(model, magvit, cfg, mc, S, src):
    """S: settings dict (tokens, text, mmu, t2i, forward, magvit, train). Returns (arrays, meta_updates)."""
    out, meta = {}, {}
    tk = S["tokens"]
    tok = R.ByteTokenizer(tk)
    mask_id = tk["<|mdm_mask|>"]
    off, K, n = tk["image_token_offset"], tk["codebook_size"], tk["num_vq_tokens"]
    g = torch.Generator().manual_seed(S["seed"])

    # ---- forward
    fw = S["forward"]

    def make_ids():
        row0 = tok.chat(fw["question"]) + [mask_id] * fw["masks"] + [tk["<|soi|>"]] \
            + [off + c for c in fw["codes"]] + [tk["<|eoi|>"]]
        row0 = row0 + [tok.eos] * (fw["length"] - len(row0))
        row1 = torch.randint(0, cfg["vocab_size"], (fw["length"],), generator=g).tolist()
        return np.array([row0[: fw["length"]], row1], dtype=np.int64)

    ids = src.get("forward_input_ids.npy", make_ids)
    out["forward_input_ids.npy"] = ids
    with torch.no_grad():
        logits, hs = model(L(ids), hidden=True)
        out["forward_logits.npy"] = logits.numpy()
        out["forward_hidden_states.npy"] = torch.stack(hs).numpy()

        def make_masked():
            mi, mm = ids.copy(), np.ones_like(ids)
            for r, p in enumerate(fw["pads"]):
                mi[r, :p] = tk["[iPAD]"]
                mm[r, :p] = 0
            return np.stack([mi, mm])

        mm = src.get("forward_masked_input_ids.npy", lambda: make_masked()[0])
        am = src.get("forward_masked_attention_mask.npy", lambda: make_masked()[1])
        out["forward_masked_input_ids.npy"] = mm
        out["forward_masked_attention_mask.npy"] = am
        out["forward_masked_logits.npy"] = model(L(mm), attention_bias=R.pad_bias(L(am))).numpy()
        mb = copy.deepcopy(model).to(torch.bfloat16)
        out["forward_logits_bf16.npy"] = mb(L(ids)).float().numpy()
        meta["forward_bf16_max_abs_diff_vs_fp32"] = float(np.abs(out["forward_logits_bf16.npy"] - logits.numpy()).max())

    # ---- text
    ts = S["text"]
    prompt = np.array([tok.chat(ts["prompt"])], dtype=np.int64)
    out["text_prompt_ids.npy"] = prompt
    cases = []
    for name, cfg_scale in (("text", 0.0), ("text_cfg", ts["cfg_scale"])):
        x, trace, cg, lg = R.text_generate(model, L(prompt), ts["steps"], ts["gen_length"], ts["block_length"],
                                           cfg_scale, mask_id)
        out[name + "_gen_ids.npy"] = x.numpy()
        out[name + "_trace_x.npy"] = trace.numpy()
        nb = ts["gen_length"] // ts["block_length"]
        spb = ts["steps"] // nb
        first = R.num_transfer_tokens(torch.ones(1, ts["block_length"], dtype=torch.long), spb)[0].tolist()
        cases.append(dict(name=name, files=([name + "_prompt_ids.npy"] if name == "text" else []) +
                          [name + "_gen_ids.npy", name + "_trace_x.npy"], prompt=ts["prompt"],
                          prompt_len=prompt.shape[1], steps=ts["steps"], gen_length=ts["gen_length"],
                          block_length=ts["block_length"], num_blocks=nb, steps_per_block=spb,
                          tokens_per_step_first_block=first, temperature=0.0, cfg_scale=cfg_scale,
                          remasking="low_confidence", mask_id=mask_id, model_batch=2 if cfg_scale > 0 else 1,
                          min_confidence_gap=cg, min_top1_top2_logit_gap=lg))
    meta["text_cases"] = cases
    meta["text_sampler"] = dict(steps=ts["steps"], gen_length=ts["gen_length"], block_length=ts["block_length"],
                                temperature=0.0, cfg_scale=0.0, remasking="low_confidence", mask_id=mask_id,
                                prompt_len=prompt.shape[1], min_confidence_gap=cases[0]["min_confidence_gap"],
                                min_top1_top2_logit_gap=cases[0]["min_top1_top2_logit_gap"],
                                note="tokens per step = get_num_transfer_tokens(block masks, steps/num_blocks)")

    # ---- MAGVIT
    mv = S["magvit"]
    res = mc["encoder"]["resolution"]

    def make_image():
        yy, xx = torch.meshgrid(torch.linspace(-1, 1, res), torch.linspace(-1, 1, res), indexing="ij")
        img = torch.stack([torch.sin(3.1 * xx + 1.3 * yy), torch.cos(2.3 * yy - 0.7 * xx * yy),
                           torch.tanh(2 * (xx * xx + yy * yy) - 1)])
        img = img + 0.15 * torch.randn(3, res, res, generator=g)
        return img.clamp(-1, 1)[None].numpy().astype(np.float32)

    img = src.get("magvit_input.npy", make_image)
    out["magvit_input.npy"] = img
    with torch.no_grad():
        z = magvit.encoder(torch.as_tensor(img))
        out["magvit_encoder_out.npy"] = z.numpy()
        codes = magvit.quantize.get_code(z)
        out["magvit_codes.npy"] = codes.numpy()
        out["magvit_decoded.npy"] = magvit.decode_code(codes).numpy()
        fixed = src.get("magvit_fixed_codes.npy",
                        lambda: ((np.arange(n) * mv["fixed_mult"]) % K)[None].astype(np.int64))
        out["magvit_fixed_codes.npy"] = fixed
        out["magvit_fixed_decoded.npy"] = magvit.decode_code(L(fixed)).numpy()
    meta["magvit_min_abs_encoder_out"] = float(z.abs().min())

    # ---- MMU
    ms = S["mmu"]
    mmu_in = [tk["<|mmu|>"], tk["<|soi|>"]] + [off + int(c) for c in out["magvit_codes.npy"][0]] \
        + [tk["<|eoi|>"]] + tok.chat(ms["prompt"])
    out["mmu_input_ids.npy"] = np.array([mmu_in], dtype=np.int64)
    x, _, cg, lg = R.text_generate(model, L([mmu_in]), ms["steps"], ms["max_new_tokens"], ms["block_length"], 0.0,
                                   mask_id)
    out["mmu_gen_ids.npy"] = x.numpy()
    meta["mmu"] = dict(prompt=ms["prompt"], max_new_tokens=ms["max_new_tokens"], steps=ms["steps"],
                       block_length=ms["block_length"], image="magvit_codes", input_len=len(mmu_in), temperature=0.0,
                       cfg_scale=0.0, remasking="low_confidence", mask_id=mask_id, min_confidence_gap=cg,
                       min_top1_top2_logit_gap=lg)

    # ---- t2i
    t2 = S["t2i"]
    T = t2["max_text_len"]
    c_ids, c_mask = R.t2i_gen_prompt(tok, tk, tok.encode(t2["prompt"]), T, n)
    u_ids, u_mask = R.t2i_gen_prompt(tok, tk, tok.encode(""), T, n)
    for k, v in (("t2i_input_ids.npy", c_ids), ("t2i_attention_mask.npy", c_mask),
                 ("t2i_uncond_input_ids.npy", u_ids), ("t2i_uncond_attention_mask.npy", u_mask)):
        out[k] = np.array([v], dtype=np.int64)
    if src.dir:
        draws = R.ReplayDraws(torch.as_tensor(np.load(os.path.join(src.dir, "t2i_trace_multinomial.npy"))),
                              torch.as_tensor(np.load(os.path.join(src.dir, "t2i_trace_gumbel.npy"))))
    else:
        draws = R.FreshDraws(t2["generator_seed"])
    codes_t2i, final, tr, margin = R.t2i_generate(model, L([c_ids]), L([u_ids]), L([c_mask]), L([u_mask]),
                                                  t2["temperature"], t2["timesteps"], t2["guidance_scale"], n, mask_id,
                                                  T, K, off, draws)
    out["t2i_gen_codes.npy"] = codes_t2i.numpy()
    out["t2i_final_input_ids.npy"] = final.numpy()
    out["t2i_trace_model_inputs.npy"] = tr["inputs"].numpy()
    out["t2i_trace_logits.npy"] = tr["logits"].numpy()
    out["t2i_trace_multinomial.npy"] = tr["mult"].numpy()
    out["t2i_trace_gumbel.npy"] = tr["gumbel"].numpy().astype(np.float32)
    with torch.no_grad():
        out["t2i_image.npy"] = magvit.decode_code(codes_t2i.clamp(0, K - 1)).numpy()
    meta["t2i"] = dict(max_text_len=T, resolution_arg=T, timesteps=t2["timesteps"], guidance_scale=t2["guidance_scale"],
                       temperature=t2["temperature"], schedule="cosine", generator_seed=t2["generator_seed"],
                       mask_token_id=mask_id, codebook_size=K, seq_len=n, image_token_offset=off,
                       note="CFG: logits=(1+g)*cond-g*uncond, then slice [:, -(n+1):-1, off:off+codebook]; per-step "
                            "temperature = temperature*(1-ratio) compounded (reference quirk)", prompt=t2["prompt"])
    meta["_t2i_margin"] = margin

    # ---- training
    if S.get("train"):
        import train_golden
        tout, tmeta = train_golden.compute(model, cfg, S, tok, src, g)
        out.update(tout)
        meta["train"] = tmeta
    return out, meta


# ----------------------------------------------------------------------------------------------------------------

def settings_from_meta(meta, tiny_dir):
    """The settings of an existing set (for `check`)."""
    m = meta
    fwd = dict(length=None)
    tc = m["text_cases"]
    return dict(
        seed=m["seed"], tokens=m["tokens"], forward=fwd,
        text=dict(prompt=tc[0]["prompt"], steps=tc[0]["steps"], gen_length=tc[0]["gen_length"],
                  block_length=tc[0]["block_length"], cfg_scale=tc[1]["cfg_scale"]),
        mmu=dict(prompt=m["mmu"]["prompt"], max_new_tokens=m["mmu"]["max_new_tokens"], steps=m["mmu"]["steps"],
                 block_length=m["mmu"]["block_length"]),
        t2i=dict(max_text_len=m["t2i"]["max_text_len"], timesteps=m["t2i"]["timesteps"],
                 guidance_scale=m["t2i"]["guidance_scale"], temperature=m["t2i"]["temperature"],
                 generator_seed=m["t2i"]["generator_seed"], prompt=m["t2i"]["prompt"]),
        magvit=dict(fixed_mult=7),
        train=dict(meta=m["train"]) if "train" in m else None)


def compare(out, d):
    worst = []
    ok = True
    for name in sorted(out):
        p = os.path.join(d, name)
        if not os.path.exists(p):
            print("  (no %s in the set)" % name)
            continue
        exp, got = np.load(p), np.asarray(out[name])
        if exp.shape != got.shape:
            print("FAIL %-36s shape %s vs %s" % (name, exp.shape, got.shape))
            ok = False
            continue
        if exp.dtype.kind in "iu":
            bad = int((exp != got).sum())
            st = "ok" if bad == 0 else "FAIL"
            ok &= bad == 0
            print("%-4s %-36s int  mismatches %d / %d" % (st, name, bad, exp.size))
        else:
            diff = float(np.abs(exp.astype(np.float64) - got.astype(np.float64)).max()) if exp.size else 0.0
            scale = float(np.abs(exp).max()) if exp.size else 0.0
            tol = 1.5 if name == "forward_logits_bf16.npy" else (1e-2 if name.startswith("train_updated") else
                                                                  max(1e-4, 1e-5 * scale))
            st = "ok" if diff <= tol else "FAIL"
            if name == "forward_logits_bf16.npy":  # indicative only: torch versions differ by ~1 here
                st = "info"
            else:
                ok &= diff <= tol
            print("%-4s %-36s max|diff| %.3g (max|x| %.3g)" % (st, name, diff, scale))
    return ok


def cmd_check(d):
    meta = json.load(open(os.path.join(d, "meta.json")))
    cfg = json.load(open(os.path.join(d, "config.json")))
    mc = json.load(open(os.path.join(d, "magvit_config.json")))
    model = load_model(d, cfg)
    magvit = load_magvit(d, mc)
    S = settings_from_meta(meta, d)
    out, m = compute(model, magvit, cfg, mc, S, Source(d))
    if "train" in S and S["train"]:
        import train_golden
        out.update(train_golden.safetensors_outputs(m["train"]))
        train_golden.compare_safetensors(d, m["train"])
    ok = compare({k: v for k, v in out.items() if k.endswith(".npy")}, d)
    print("t2i min |confidence - cutoff| %.3g; text margins %s" % (m["_t2i_margin"], [(c["min_confidence_gap"],
          c["min_top1_top2_logit_gap"]) for c in m["text_cases"]]))
    print("CHECK", "PASSED" if ok else "FAILED")
    return 0 if ok else 1


def describe(name, arr, tiny_desc):
    dt = str(arr.dtype)
    return dict(shape=list(arr.shape), dtype=dt, desc=tiny_desc)


def cmd_make(d, preset):
    P = PRESETS[preset]
    os.makedirs(d, exist_ok=True)
    tmeta = json.load(open(os.path.join(TEMPLATE, "meta.json")))
    tcfg = json.load(open(os.path.join(TEMPLATE, "config.json")))
    tmc = json.load(open(os.path.join(TEMPLATE, "magvit_config.json")))
    cfg = dict(tcfg)
    cfg.update(P["config"])
    mc = copy.deepcopy(tmc)
    for part in ("encoder", "decoder", "quantizer"):
        mc[part].update(P["magvit"][part])
    torch.set_num_threads(2)
    model = init_model(cfg, P["seed"])
    if P["weights_dtype"] == "bfloat16":
        bf16_round(model)
    magvit = init_magvit(mc, P["seed"])
    S = dict(P["settings"], seed=P["seed"], tokens=P["tokens"])
    out, m = compute(model, magvit, cfg, mc, S, Source(None))
    margin = m.pop("_t2i_margin")

    save_model(model, d, torch.bfloat16 if P["weights_dtype"] == "bfloat16" else torch.float32, P["shards"])
    save_file({k: v.contiguous() for k, v in magvit.state_dict().items()}, os.path.join(d, "magvit.safetensors"),
              metadata={"format": "pt"})
    json.dump(cfg, open(os.path.join(d, "config.json"), "w"), indent=2, sort_keys=True)
    json.dump(mc, open(os.path.join(d, "magvit_config.json"), "w"), indent=2)
    extra = {}
    if "train" in m:
        import train_golden
        extra = train_golden.write_safetensors(d, m["train"])
    for k, v in out.items():
        np.save(os.path.join(d, k), np.ascontiguousarray(v))

    meta = copy.deepcopy(tmeta)
    meta["env"] = dict(torch=torch.__version__, python=sys.version.split()[0], ref_commit=tmeta["env"]["ref_commit"],
                       threads=torch.get_num_threads(),
                       deviations=["clean-room restatement of the reference (scripts/golden/make_golden.py, "
                                   "reference.py), validated by reproducing golden/tiny with `make_golden.py check`",
                                   "torch %s real F.scaled_dot_product_attention" % torch.__version__])
    meta["set"] = preset
    meta["seed"] = P["seed"]
    meta["weights"] = dict(dtype=P["weights_dtype"], shards=P["shards"])
    sd = model.state_dict()
    meta["model_params"] = sum(v.numel() for v in sd.values())
    meta["state_dict"] = {k: dict(shape=list(v.shape), dtype=P["weights_dtype"]) for k, v in sd.items()}
    meta["tokens"] = P["tokens"]
    for k in ("forward_bf16_max_abs_diff_vs_fp32", "text_sampler", "text_cases", "t2i", "magvit_min_abs_encoder_out",
              "mmu"):
        meta[k] = m[k]
    msd = magvit.state_dict()
    meta["magvit_params"] = sum(v.numel() for k, v in msd.items() if not k.startswith("quantize."))
    meta["magvit_state_dict"] = {k: dict(shape=list(v.shape), dtype=str(v.dtype).replace("torch.", ""))
                                 for k, v in msd.items()}
    if "train" in m:
        meta["train"] = m["train"]["meta"]
    else:
        meta.pop("train", None)
    files = {}
    for k, v in tmeta["files"].items():
        if k in out:
            files[k] = describe(k, np.asarray(out[k]), v["desc"])
        elif k in extra or not k.endswith(".npy"):
            files[k] = dict(v)
    files["model.safetensors"]["desc"] = "MMaDA LM state_dict, %s, %s" % (
        P["weights_dtype"], "one file" if P["shards"] == 1 else "%d shards model-0000i-of-0000%d.safetensors + "
        "model.safetensors.index.json (this entry names the logical checkpoint)" % (P["shards"], P["shards"]))
    meta["files"] = files
    json.dump(meta, open(os.path.join(d, "meta.json"), "w"), indent=1)
    print("wrote", d, "t2i margin %.3g" % margin, "text margins",
          [(c["min_confidence_gap"], c["min_top1_top2_logit_gap"]) for c in m["text_cases"]],
          "mmu", (m["mmu"]["min_confidence_gap"], m["mmu"]["min_top1_top2_logit_gap"]),
          "magvit min|z|", m["magvit_min_abs_encoder_out"])
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=["check", "make"])
    ap.add_argument("dir")
    ap.add_argument("--preset", default="g2", choices=sorted(PRESETS))
    a = ap.parse_args()
    torch.set_num_threads(2)
    sys.exit(cmd_check(a.dir) if a.cmd == "check" else cmd_make(a.dir, a.preset))


if __name__ == "__main__":
    main()
