"""Training goldens (train_*): one stage-1 step of the reference on a fixed batch with every draw recorded (§3, §6.1).

Restates the prepare_inputs_and_labels* closures (training/train_mmada*.py), mask_or_random_replace_tokens
(training/utils.py), MMadaModelLM.forward_process and the loop body (loss mix, backward, clip_grad_norm_, AdamW).
"""
import copy
import math
import os

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import load_file, save_file

import reference as R


def _rows(lst):
    return torch.as_tensor(np.asarray(lst), dtype=torch.long)


def compute(model, cfg, S, tok, src, g):
    tk = S["tokens"]
    mask_id, off, K, n = tk["<|mdm_mask|>"], tk["image_token_offset"], tk["codebook_size"], tk["num_vq_tokens"]
    if "meta" in S["train"]:  # check: settings of the set under check
        tm = copy.deepcopy(S["train"]["meta"])
        b, c = tm["batch"], tm["config"]
        st = dict(max_seq_length=b["max_seq_length"], batch_size_t2i=b["batch_size_t2i"],
                  batch_size_lm=b["batch_size_lm"], batch_size_mmu=b["batch_size_mmu"], t2i_texts=b["t2i_texts"],
                  lm_texts=b["lm_texts"], mmu_texts=b["mmu_texts"], chat_lm_texts=b["chat_lm_texts"],
                  coeffs=[c["t2i_coeff"], c["lm_coeff"], c["mmu_coeff"]], lr=c["lr"], betas=c["betas"],
                  adam_eps=c["adam_eps"], weight_decay=c["weight_decay"], max_grad_norm=c["max_grad_norm"],
                  cond_dropout_prob=c["cond_dropout_prob"], eps=c["eps"], uniforms_seed=2000)
    else:
        st = S["train"]
        tm = None
    M, bt, bl, bm = st["max_seq_length"], st["batch_size_t2i"], st["batch_size_lm"], st["batch_size_mmu"]
    Lr = M + n + 3
    eps = st["eps"]
    gu = torch.Generator().manual_seed(st["uniforms_seed"])
    f32 = lambda v: np.asarray(v, dtype=np.float32)  # noqa: E731

    # recorded draws
    t2i_codes = src.get("train_t2i_image_codes.npy", lambda: torch.randint(0, K, (bt, n), generator=gu).numpy())
    mmu_codes = src.get("train_mmu_image_codes.npy", lambda: torch.randint(0, K, (bm, n), generator=gu).numpy())
    t2i_t = src.get("train_t2i_timesteps.npy", lambda: f32(st["t2i_t"]))
    t2i_rand = src.get("train_t2i_rand.npy", lambda: torch.rand(bt, n, generator=gu).numpy())
    drop = src.get("train_t2i_cond_dropout_rand.npy", lambda: f32(st["t2i_drop"]))
    lm_t = src.get("train_lm_t.npy", lambda: f32(st["lm_t"]))
    lm_rand = src.get("train_lm_rand.npy", lambda: torch.rand(bl, Lr, generator=gu).numpy())
    mmu_t = src.get("train_mmu_t.npy", lambda: f32(st["mmu_t"]))
    mmu_rand = src.get("train_mmu_rand.npy", lambda: torch.rand(bm, Lr, generator=gu).numpy())
    ch_t = src.get("train_chat_lm_t.npy", lambda: f32(st["chat_lm_t"]))
    ch_rand = src.get("train_chat_lm_rand.npy", lambda: torch.rand(bl, Lr, generator=gu).numpy())

    o = {}
    # t2i rows: mask_or_random_replace_tokens then UniversalPrompting 't2i'
    img = torch.as_tensor(t2i_codes) + off
    ts = torch.as_tensor(t2i_t)
    mask_prob = R.cosine_schedule(ts).clip(0.0)
    num = (n * mask_prob).round().clamp(min=1)
    perm = torch.as_tensor(t2i_rand).argsort(dim=-1)
    imask = perm < num.unsqueeze(-1)
    img_in = torch.where(imask, mask_id, img)
    img_lab = torch.where(imask, img, -100)
    t2i_ids, t2i_masks, t2i_labels, t2i_clean = [], [], [], []
    for i in range(bt):
        text = tok.encode(st["t2i_texts"][i])
        d = bool(drop[i] < st["cond_dropout_prob"])
        ids, m, lab = R.t2i_train_prompt(tok, tk, text, img_in[i].tolist(), img_lab[i].tolist(), M, d)
        cl, _, _ = R.t2i_train_prompt(tok, tk, text, img[i].tolist(), img_lab[i].tolist(), M, d)
        t2i_ids.append(ids), t2i_masks.append(m), t2i_labels.append(lab), t2i_clean.append(cl)
    # lm rows
    lm_clean = [R.lm_prompt(tok, tok.encode(s), Lr)[0] for s in st["lm_texts"]]
    p_lm = ((1 - eps) * torch.as_tensor(lm_t) + eps)[:, None].repeat(1, Lr)
    lm_masked = torch.as_tensor(lm_rand) < p_lm
    lm_in = torch.where(lm_masked, mask_id, _rows(lm_clean))
    # mmu rows
    mmu = [R.mmu_train_prompt(tok, tk, (np.asarray(mmu_codes[i]) + off).tolist(), tok.encode(st["mmu_texts"][i]), M)
           for i in range(bm)]
    mmu_clean, mmu_lab, mmu_pm = _rows([x[0] for x in mmu]), _rows([x[1] for x in mmu]), _rows([x[2] for x in mmu])
    p_mmu = ((1 - eps) * torch.as_tensor(mmu_t) + eps)[:, None].repeat(1, Lr)
    mmu_masked = (torch.as_tensor(mmu_rand) < p_mmu) & (mmu_pm == 0)
    mmu_in = torch.where(mmu_masked, mask_id, mmu_clean)
    ans = torch.sum(1 - mmu_pm, dim=-1, keepdim=True).repeat(1, Lr)

    inp = torch.cat([_rows(t2i_ids), lm_in, mmu_in])
    clean = torch.cat([_rows(t2i_clean), _rows(lm_clean), mmu_clean])
    labels = torch.cat([_rows(t2i_labels), _rows(lm_clean), mmu_lab])
    t2i_m = _rows(t2i_masks)

    def run(mdl, x, lab, p_lm_, ans_lm=None):
        return R.forward_process(mdl, x, lab, bt, bl, bm, M, p_lm_, p_mmu, ans, t2i_m, mask_id, ans_lm)

    before = {k: p.detach().clone() for k, p in model.named_parameters()}
    logits, bias, l1, l2, l3 = run(model, inp, labels, p_lm)
    co = st["coeffs"]
    loss = co[0] * l1 + co[1] * l2 + co[2] * l3
    model.zero_grad(set_to_none=True)
    loss.backward()
    names = [k for k, _ in model.named_parameters()]
    grads = {k: p.grad.detach().clone() for k, p in model.named_parameters()}
    V = logits.shape[-1]
    B = inp.shape[0]
    ce = F.cross_entropy(logits.detach().view(-1, V), labels.view(-1), reduction="none", ignore_index=-100).view(B, Lr)

    def weights(masked_lm, p_lm_, ans_lm):
        w = torch.zeros(B, Lr, dtype=torch.float64)
        sel = labels[:bt, M + 1:] != -100
        w[:bt, M + 1:][sel] = 1.0 / int(sel.sum())
        pl = p_lm_.double()
        if ans_lm is None:
            w[bt:bt + bl][masked_lm] = (1.0 / (pl * bl * Lr))[masked_lm]
        else:
            w[bt:bt + bl][masked_lm] = (1.0 / (pl * ans_lm.double() * bl))[masked_lm]
        mm = inp[-bm:] == mask_id
        w[-bm:][mm] = (1.0 / (p_mmu.double() * ans.double() * bm))[mm]
        return w

    w = weights(lm_in == mask_id, p_lm, None)
    params = [p for p in model.parameters()]
    total = torch.nn.utils.clip_grad_norm_(params, st["max_grad_norm"])
    clipped = {k: p.grad.detach().clone() for k, p in model.named_parameters()}
    m64 = copy.deepcopy(model).double()
    opt = torch.optim.AdamW(params, lr=st["lr"], betas=tuple(st["betas"]), eps=st["adam_eps"],
                            weight_decay=st["weight_decay"], foreach=False)
    opt.step()
    updated = {k: p.detach().clone() for k, p in model.named_parameters()}
    with torch.no_grad():  # the caller saves the model: give it back its pre-step weights
        for k, p in model.named_parameters():
            p.copy_(before[k])
            p.grad = None

    # float64 copy (from the pre-step weights)
    for p in m64.parameters():
        p.grad = None
    _, _, d1, d2, d3 = run(m64, inp, labels, p_lm)
    loss64 = co[0] * d1 + co[1] * d2 + co[2] * d3
    loss64.backward()
    g64 = {k: p.grad.detach() for k, p in m64.named_parameters()}
    norm64 = math.sqrt(sum(float((v * v).sum()) for v in g64.values()))

    # chat variant
    ch_clean = [R.lm_prompt(tok, tok.encode(s), Lr)[0] for s in st["chat_lm_texts"]]
    ch_pm = _rows([[1] * R.last_end_header_prompt(r, tk["<|end_header_id|>"]) +
                   [0] * (Lr - R.last_end_header_prompt(r, tk["<|end_header_id|>"])) for r in ch_clean])
    p_ch = ((1 - eps) * torch.as_tensor(ch_t) + eps)[:, None].repeat(1, Lr)
    ch_masked = torch.as_tensor(ch_rand) < p_ch
    ch_in = torch.where(ch_masked, mask_id, _rows(ch_clean))
    ch_in[ch_pm.bool()] = _rows(ch_clean)[ch_pm.bool()]
    ch_ans = torch.sum(1 - ch_pm, dim=-1, keepdim=True).repeat(1, Lr)
    inp_c = torch.cat([inp[:bt], ch_in, inp[-bm:]])
    lab_c = torch.cat([labels[:bt], _rows(ch_clean), labels[-bm:]])
    m32 = copy.deepcopy(m64).float()
    with torch.no_grad():
        lc, _, c1, c2, c3 = run(m32, inp_c, lab_c, p_ch, ch_ans)
        _, _, e1, e2, e3 = run(m64, inp_c, lab_c, p_ch, ch_ans)
        ce_c = F.cross_entropy(lc.view(-1, V), lab_c.view(-1), reduction="none", ignore_index=-100).view(B, Lr)
    chat_loss = [float(c1), float(c2), float(c3)]
    chat_loss.append(co[0] * chat_loss[0] + co[1] * chat_loss[1] + co[2] * chat_loss[2])
    chat_loss64 = [float(e1), float(e2), float(e3)]
    chat_loss64.append(co[0] * chat_loss64[0] + co[1] * chat_loss64[1] + co[2] * chat_loss64[2])
    labels_saved = labels
    labels = lab_c
    wc_full = weights(ch_in == mask_id, p_ch, ch_ans)
    labels = labels_saved
    wc = wc_full[bt:bt + bl]

    losses = [float(l1.detach()), float(l2.detach()), float(l3.detach()), float(loss.detach())]
    losses64 = [float(d1), float(d2), float(d3), float(loss64)]
    o.update({
        "train_input_ids.npy": inp.numpy(), "train_clean_input_ids.npy": clean.numpy(),
        "train_labels.npy": labels.numpy(), "train_t2i_attention_mask.npy": t2i_m.numpy(),
        "train_attention_bias.npy": bias.numpy().astype(np.float32),
        "train_t2i_image_codes.npy": np.asarray(t2i_codes, dtype=np.int64),
        "train_t2i_timesteps.npy": f32(t2i_t), "train_t2i_mask_prob.npy": mask_prob.numpy().astype(np.float32),
        "train_t2i_num_masked.npy": num.numpy().astype(np.float32), "train_t2i_rand.npy": f32(t2i_rand),
        "train_t2i_image_mask.npy": imask.long().numpy(), "train_t2i_cond_dropout_rand.npy": f32(drop),
        "train_lm_t.npy": f32(lm_t), "train_lm_rand.npy": f32(lm_rand), "train_p_mask_lm.npy": p_lm.numpy(),
        "train_mmu_image_codes.npy": np.asarray(mmu_codes, dtype=np.int64),
        "train_mmu_prompt_mask.npy": mmu_pm.numpy(), "train_mmu_t.npy": f32(mmu_t), "train_mmu_rand.npy": f32(mmu_rand),
        "train_p_mask_mmu.npy": p_mmu.numpy(), "train_answer_lengths.npy": ans.numpy(),
        "train_logits.npy": logits.detach().numpy(), "train_token_ce.npy": ce.numpy(),
        "train_loss_weights.npy": w.numpy(), "train_losses.npy": f32(losses),
        "train_losses_f64.npy": np.asarray(losses64, dtype=np.float64),
        "train_grad_norm.npy": f32([float(total)]),
        "train_chat_lm_input_ids.npy": ch_in.numpy(), "train_chat_lm_clean_input_ids.npy": _rows(ch_clean).numpy(),
        "train_chat_lm_labels.npy": _rows(ch_clean).numpy(), "train_chat_lm_prompt_mask.npy": ch_pm.numpy(),
        "train_chat_lm_t.npy": f32(ch_t), "train_chat_lm_rand.npy": f32(ch_rand), "train_chat_lm_p_mask.npy": p_ch.numpy(),
        "train_chat_lm_answer_lengths.npy": ch_ans.numpy(), "train_chat_loss_weights.npy": wc.numpy(),
        "train_chat_losses.npy": f32(chat_loss), "train_chat_losses_f64.npy": np.asarray(chat_loss64, np.float64),
    })

    def restate(wt, cet, parts):
        return [float((wt[a:b].double() * cet[a:b].double()).sum()) for a, b in parts]

    parts = [(0, bt), (bt, bt + bl), (B - bm, B)]
    r1 = restate(w, ce, parts)
    r2 = restate(wc_full, ce_c, parts)
    rel = max(abs(a - b) / abs(b) for a, b in zip(r1 + r2, losses64[:3] + chat_loss64[:3]))
    coef = min(1.0, st["max_grad_norm"] / (float(total) + 1e-6))
    allc = torch.cat([v.flatten() for v in clipped.values()])
    nz = allc[allc != 0].abs()
    spread_g = max(float((grads[k].double() - g64[k]).abs().max()) for k in names)
    meta = copy.deepcopy(tm) if tm else None
    if meta is None:
        import json
        tiny = json.load(open(os.path.join("/work/shared/golden/tiny", "meta.json")))["train"]
        meta = copy.deepcopy(tiny)
        meta["batch"] = dict(B=B, L=Lr, batch_size_t2i=bt, batch_size_lm=bl, batch_size_mmu=bm,
                             rows="rows [0,%d) t2i, [%d,%d) lm, [%d,%d) mmu" % (bt, bt, bt + bl, bt + bl, B),
                             max_seq_length=M, num_vq_tokens=n, t2i_soi_index=M + 1, t2i_texts=st["t2i_texts"],
                             lm_texts=st["lm_texts"], mmu_texts=st["mmu_texts"], chat_lm_texts=st["chat_lm_texts"])
        c = meta["config"]
        c.update(cond_dropout_prob=st["cond_dropout_prob"], eps=eps, t2i_coeff=co[0], lm_coeff=co[1], mmu_coeff=co[2],
                 max_grad_norm=st["max_grad_norm"], lr=st["lr"], betas=st["betas"], adam_eps=st["adam_eps"],
                 weight_decay=st["weight_decay"], param_group_sizes=[len(names), 0],
                 optimizer="torch.optim.AdamW (torch %s, foreach=False single-tensor path)" % torch.__version__)
        meta["randomness"]["uniforms_and_codes"] = "torch.Generator().manual_seed(%d): t2i codes [Bt,n], mmu codes " \
            "[Bm,n], t2i rand [Bt,n], lm rand [Bl,L], mmu rand [Bm,L], chat rand [Bl,L]" % st["uniforms_seed"]
        meta["deviations"] = ["clean-room restatement (scripts/golden/train_golden.py) of the prepare_* closures, "
                              "forward_process and the loop body; validated against golden/tiny with make_golden.py check"]
    meta.update(losses_f32=losses, losses_f64=losses64, chat_losses_f32=chat_loss, chat_losses_f64=chat_loss64,
                restated_losses_f64_from_f32_logits=dict(stage1=r1, chat=r2, max_rel_err_vs_reference=rel),
                grad_norm_pre_clip=float(total), grad_norm_pre_clip_f64=norm64, clip_coef=coef,
                clipping_active=coef < 1.0)
    meta["spread_fp32_vs_fp64"] = dict(meta.get("spread_fp32_vs_fp64", {}),
                                       loss_max_abs=max(abs(a - b) for a, b in zip(losses, losses64)),
                                       grad_max_abs=spread_g,
                                       grad_max_abs_value=float(max(v.abs().max() for v in grads.values())))
    meta["adamw_sensitivity"] = dict(meta.get("adamw_sensitivity", {}),
                                     clipped_grad_exact_zeros=int((allc == 0).sum()),
                                     clipped_grad_min_nonzero_abs=float(nz.min()),
                                     clipped_grad_below_1e_7=int((nz < 1e-7).sum()),
                                     clipped_grad_below_1e_9=int((nz < 1e-9).sum()))
    return o, dict(meta=meta, grads=grads, updated=updated)


def safetensors_outputs(tr):
    return {}


def write_safetensors(d, tr):
    save_file({k: v.contiguous() for k, v in tr["grads"].items()}, os.path.join(d, "train_grads.safetensors"),
              metadata={"format": "pt"})
    save_file({k: v.contiguous() for k, v in tr["updated"].items()},
              os.path.join(d, "train_updated_params.safetensors"), metadata={"format": "pt"})
    return {"train_grads.safetensors": 1, "train_updated_params.safetensors": 1}


def compare_safetensors(d, tr):
    for name, mine in (("train_grads.safetensors", tr["grads"]), ("train_updated_params.safetensors", tr["updated"])):
        ref = load_file(os.path.join(d, name))
        diff = max(float((ref[k] - mine[k]).abs().max()) for k in ref)
        print("     %-36s max|diff| %.3g" % (name, diff))
