"""Clean-room PyTorch restatement of the MMaDA reference (spec: MMADA-REFERENCE.md §1, §3, §4, §5, §6.1).

Written from the specification, not copied from Gen-Verse/MMaDA: the LLaDA/MMaDA transformer with the
reference's attention-bias semantics, the byte-level stand-in tokenizer of the golden sets, UniversalPrompting's
sequence formats, the LLaDA text sampler, the MaskGIT t2i sampler, MAGVIT-v2 (encoder, decoder, LFQ) and the
masked-diffusion losses of forward_process. make_golden.py uses it to re-derive golden/tiny (self-check) and to
write golden sets of other sizes.
"""
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


# ----------------------------------------------------------------------------------------------------------------
# Transformer (§1.3, §1.4, §1.5)

class RMSNorm(nn.Module):
    def __init__(self, d, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        dt = x.dtype
        x32 = x.float() if dt != torch.float64 else x
        x32 = x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + self.eps)
        return x32.to(dt) * self.weight


def rope(x, theta):
    """Rotate-half RoPE over the last dim, positions 0..L-1, computed in fp32 (rope_full_precision)."""
    B, H, L, D = x.shape
    dt = x.dtype
    work = torch.float64 if dt == torch.float64 else torch.float32
    inv = 1.0 / (theta ** (torch.arange(0, D, 2, dtype=work) / D))
    ang = torch.outer(torch.arange(L, dtype=work), inv)
    pos = torch.cat([ang, ang], -1)
    cos, sin = pos.cos(), pos.sin()
    xw = x.to(work)
    x1, x2 = xw[..., : D // 2], xw[..., D // 2:]
    rot = torch.cat([-x2, x1], -1)
    return (xw * cos + rot * sin).to(dt)


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, mlp = c["d_model"], c["mlp_hidden_size"]
        self.h, self.theta = c["n_heads"], c["rope_theta"]
        self.attn_norm = RMSNorm(d, c["rms_norm_eps"])
        self.ff_norm = RMSNorm(d, c["rms_norm_eps"])
        self.q_proj = nn.Linear(d, d, bias=False)
        self.k_proj = nn.Linear(d, d, bias=False)
        self.v_proj = nn.Linear(d, d, bias=False)
        self.attn_out = nn.Linear(d, d, bias=False)
        self.ff_proj = nn.Linear(d, mlp, bias=False)
        self.up_proj = nn.Linear(d, mlp, bias=False)
        self.ff_out = nn.Linear(mlp, d, bias=False)

    def forward(self, x, bias):
        B, L, d = x.shape
        a = self.attn_norm(x)
        q = self.q_proj(a).view(B, L, self.h, -1).transpose(1, 2)
        k = self.k_proj(a).view(B, L, self.h, -1).transpose(1, 2)
        v = self.v_proj(a).view(B, L, self.h, -1).transpose(1, 2)
        q, k = rope(q, self.theta), rope(k, self.theta)
        o = F.scaled_dot_product_attention(q, k, v, attn_mask=None if bias is None else bias.to(q.dtype),
                                           dropout_p=0.0, is_causal=False)
        x = x + self.attn_out(o.transpose(1, 2).reshape(B, L, d))
        m = self.ff_norm(x)
        return x + self.ff_out(F.silu(self.ff_proj(m)) * self.up_proj(m))


class MMada(nn.Module):
    """State-dict names as MMadaModelLM: model.transformer.{wte,blocks.i.*,ln_f,ff_out}."""

    def __init__(self, c):
        super().__init__()
        self.c = c
        t = nn.Module()
        t.wte = nn.Embedding(c["embedding_size"], c["d_model"])
        t.blocks = nn.ModuleList([Block(c) for _ in range(c["n_layers"])])
        t.ln_f = RMSNorm(c["d_model"], c["rms_norm_eps"])
        t.ff_out = nn.Linear(c["d_model"], c["embedding_size"], bias=False)
        self.model = nn.Module()
        self.model.transformer = t

    @staticmethod
    def bias_from(attention_bias, dtype):
        """LLaDAModel.forward: a bool/int8 bias becomes float 1.0 (attend) / finfo(float32).min; a float bias is
        added raw. Returns the additive float bias or None (fully bidirectional)."""
        if attention_bias is None:
            return None
        if attention_bias.dtype in (torch.bool, torch.int8):
            b = attention_bias.to(torch.float)
            b.masked_fill_(b == 0.0, torch.finfo(b.dtype).min)
        else:
            b = attention_bias.to(torch.float)
        b = b.to(dtype)
        if dtype != torch.float32:
            b = torch.where(torch.isneginf(b), torch.finfo(dtype).min, b)
        return b

    def forward(self, ids, attention_bias=None, hidden=False):
        t = self.model.transformer
        x = t.wte(ids)
        bias = self.bias_from(attention_bias, x.dtype)
        hs = []
        for blk in t.blocks:
            hs.append(x)
            x = blk(x, bias)
        x = t.ln_f(x)
        hs.append(x)
        logits = t.ff_out(x)
        return (logits, hs) if hidden else logits


def pad_bias(mask):
    """MMaDA's bias from a 0/1 mask m: (m_i & m_j).bool().unsqueeze(1)."""
    m = mask.long()
    return (m[:, :, None] & m[:, None, :]).bool().unsqueeze(1)


# ----------------------------------------------------------------------------------------------------------------
# Byte-level stand-in tokenizer and sequence formats (§2, §3)

class ByteTokenizer:
    """byte b -> bytes[0] + b, BOS prepended, special-token names inside the text mapped to their ids."""

    def __init__(self, tokens):
        self.base = tokens["bytes"][0]
        self.specials = {k: v for k, v in tokens.items() if k.startswith("<|") or k.startswith("[")}
        self.bos = tokens["<|startoftext|>"]
        self.eos = tokens["<|endoftext|>"]

    def encode(self, text, bos=True):
        out = [self.bos] if bos else []
        i = 0
        while i < len(text):
            for name in sorted(self.specials):
                if text.startswith(name, i):
                    out.append(self.specials[name])
                    i += len(name)
                    break
            else:
                out.extend(self.base + b for b in text[i].encode("utf-8"))
                i += 1
        return out

    def chat(self, question):
        return self.encode("<|start_header_id|>user<|end_header_id|>\n" + question.strip()
                           + "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n")


def t2i_gen_prompt(tok, tokens, text_ids, max_text_len, n):
    """UniversalPrompting 't2i_gen': [iPAD].. <|t2i|> text(bos..) <eos> | <|soi|> MASK*n <|eoi|>."""
    T1 = max_text_len + 1
    core = [tokens["<|t2i|>"]] + text_ids + [tok.eos]
    if len(core) <= T1:
        pad = T1 - len(core)
        prefix = [tokens["[iPAD]"]] * pad + core
        mask = [0] * pad + [1] * (len(core) + n + 2)
    else:
        prefix = core[:T1 - 1] + [tok.eos]
        mask = [1] * (T1 + n + 2)
    ids = prefix + [tokens["<|soi|>"]] + [tokens["<|mdm_mask|>"]] * n + [tokens["<|eoi|>"]]
    return ids, mask


def t2i_train_prompt(tok, tokens, text_ids, image_ids, image_labels, max_text_len, drop):
    T1 = max_text_len + 1
    core = [tokens["<|t2i|>"]] + text_ids + [tok.eos]
    if drop:
        core = [tokens["<|t2i|>"], tok.bos, tok.eos]
    if len(core) <= T1:
        prefix = [tokens["[iPAD]"]] * (T1 - len(core)) + core
    else:
        prefix = core[:T1 - 1] + [tok.eos]
    ids = prefix + [tokens["<|soi|>"]] + list(image_ids) + [tokens["<|eoi|>"]]
    mask = [0 if t == tokens["[iPAD]"] else 1 for t in prefix] + [1] * (len(image_ids) + 2)
    labels = [-100 if t == tokens["[iPAD]"] else t for t in prefix] + [tokens["<|soi|>"]] + list(image_labels) \
        + [tokens["<|eoi|>"]]
    return ids, mask, labels


def lm_prompt(tok, text_ids, L):
    ids = text_ids + [tok.eos]
    ids = ids + [tok.eos] * (L - len(ids)) if len(ids) <= L else ids[:L]
    return ids, list(ids)


def last_end_header_prompt(ids, end_header):
    pos = -1
    for p in range(len(ids) - 1, -1, -1):
        if ids[p] == end_header:
            pos = p
            break
    return pos + 1 if pos >= 0 else 0


def mmu_train_prompt(tok, tokens, image_ids, text_ids, T):
    t = text_ids + [tok.eos]
    t = t + [tok.eos] * (T - len(t)) if len(t) <= T else t[:T - 1] + [tok.eos]
    n = len(image_ids)
    head = [tokens["<|mmu|>"], tokens["<|soi|>"]] + list(image_ids) + [tokens["<|eoi|>"]]
    prompt_len = n + 3 + last_end_header_prompt(t, tokens["<|end_header_id|>"])
    ids = head + t
    labels = [-100] * (n + 3) + t
    pmask = [1] * prompt_len + [0] * (len(ids) - prompt_len)
    return ids, labels, pmask


# ----------------------------------------------------------------------------------------------------------------
# Text sampler (§4.1)

def num_transfer_tokens(block_mask, steps):
    n = block_mask.sum(dim=1, keepdim=True)
    base = n // steps
    rem = n % steps
    out = torch.zeros(n.size(0), steps, dtype=torch.int64) + base
    for i in range(n.size(0)):
        out[i, : rem[i]] += 1
    return out


@torch.no_grad()
def text_generate(model, prompt, steps, gen_length, block_length, cfg_scale, mask_id):
    """LLaDA generate / MMadaModelLM.mmu_generate, temperature 0, low_confidence. Returns x, trace, margins."""
    B, P = prompt.shape
    x = torch.full((B, P + gen_length), mask_id, dtype=torch.long)
    x[:, :P] = prompt
    prompt_index = x != mask_id
    assert gen_length % block_length == 0
    nb = gen_length // block_length
    assert steps % nb == 0
    spb = steps // nb
    trace, conf_gap, logit_gap = [], math.inf, math.inf
    for b in range(nb):
        lo, hi = P + b * block_length, P + (b + 1) * block_length
        ntt = num_transfer_tokens(x[:, lo:hi] == mask_id, spb)
        for s in range(spb):
            mask_index = x == mask_id
            if cfg_scale > 0:
                un = x.clone()
                un[prompt_index] = mask_id
                xx = torch.cat([x, un])
                trace.append(xx.clone())
                lg = model(xx)
                cond, unc = torch.chunk(lg, 2, dim=0)
                logits = unc + (cfg_scale + 1) * (cond - unc)
            else:
                trace.append(x.clone())
                logits = model(x)
            x0 = torch.argmax(logits, dim=-1)
            p = F.softmax(logits.to(torch.float64), dim=-1)
            x0_p = torch.gather(p, -1, x0.unsqueeze(-1)).squeeze(-1)
            x0_p[:, hi:] = -np.inf
            x0 = torch.where(mask_index, x0, x)
            conf = torch.where(mask_index, x0_p, torch.tensor(-np.inf, dtype=torch.float64))
            transfer = torch.zeros_like(x0, dtype=torch.bool)
            for j in range(B):
                k = int(ntt[j, s])
                sc, sel = torch.topk(conf[j], k=k)
                transfer[j, sel] = True
                srt = torch.sort(conf[j], descending=True).values
                if k < srt.numel() and torch.isfinite(srt[k]):
                    conf_gap = min(conf_gap, float(srt[k - 1] - srt[k]))
                top2 = torch.topk(logits[j, sel], 2, dim=-1).values
                logit_gap = min(logit_gap, float((top2[:, 0] - top2[:, 1]).min()))
            x[transfer] = x0[transfer]
    return x, torch.stack(trace), conf_gap, logit_gap


# ----------------------------------------------------------------------------------------------------------------
# T2I MaskGIT sampler (§4.2)

def cosine_schedule(t):
    return torch.cos(t * math.pi * 0.5)


def log_eps(t, eps=1e-20):
    return torch.log(t.clamp(min=eps))


@torch.no_grad()
def t2i_generate(model, input_ids, uncond_input_ids, attention_mask, uncond_attention_mask, temperature, timesteps,
                 guidance_scale, seq_len, mask_id, resolution, codebook_size, offset, draws):
    """draws: object with multinomial(probs [n, K]) -> [n, 1] and gumbel(shape) -> tensor (replayed or fresh)."""
    n = seq_len
    input_ids = input_ids.clone()
    cur = input_ids[:, -(n + 1):-1].clone()
    cur = torch.where(cur == mask_id, mask_id, cur - offset)
    uncond_prefix = uncond_input_ids[:, : resolution + 1]
    tr_in, tr_logits, tr_mult, tr_gumbel = [], [], [], []
    margin = math.inf
    for step in range(timesteps):
        if guidance_scale > 0:
            unc = torch.cat([uncond_prefix, input_ids[:, resolution + 1:]], dim=1)
            model_input = torch.cat([input_ids, unc])
            am = torch.cat([attention_mask, uncond_attention_mask], dim=0)
            lg = model(model_input, attention_bias=pad_bias(am))
            tr_in.append(model_input.clone())
            tr_logits.append(lg.clone())
            c, u = torch.chunk(lg, 2, dim=0)
            logits = (1 + guidance_scale) * c - guidance_scale * u
        else:
            lg = model(input_ids, attention_bias=pad_bias(attention_mask))
            tr_in.append(input_ids.clone())
            tr_logits.append(lg.clone())
            logits = lg
        logits = logits[:, -(n + 1):-1, offset: offset + codebook_size]
        probs = logits.softmax(dim=-1)
        flat = probs.reshape(-1, logits.size(-1))
        m = draws.multinomial(step, flat)
        tr_mult.append(m.clone())
        sampled = m[:, 0].view(*logits.shape[:-1])
        unknown = cur == mask_id
        sampled = torch.where(unknown, sampled, cur)
        ratio = 1.0 * (step + 1) / timesteps
        mask_ratio = cosine_schedule(torch.tensor(ratio))
        sel = torch.gather(probs, -1, sampled.long()[..., None]).squeeze(-1)
        sel = torch.where(unknown, sel, torch.finfo(sel.dtype).max)
        mask_len = (n * mask_ratio).floor().unsqueeze(0)
        mask_len = torch.max(torch.tensor([1]), torch.min(unknown.sum(dim=-1, keepdim=True) - 1, mask_len))
        temperature = temperature * (1.0 - ratio)
        g = draws.gumbel(step, sel.shape)
        tr_gumbel.append(g.clone())
        confidence = log_eps(sel) + temperature * g
        srt = torch.sort(confidence, dim=-1).values
        cut = torch.gather(srt, 1, mask_len.long())
        masking = confidence < cut
        fin = torch.isfinite(confidence) & (confidence < 1e30)
        d = (confidence - cut).abs()[fin & (confidence != cut)]
        if d.numel():
            margin = min(margin, float(d.min()))
        input_ids[:, -(n + 1):-1] = torch.where(masking, mask_id, sampled + offset)
        cur = torch.where(masking, mask_id, sampled)
    trace = dict(inputs=torch.stack(tr_in), logits=torch.stack(tr_logits), mult=torch.stack(tr_mult),
                 gumbel=torch.stack(tr_gumbel))
    return sampled, input_ids, trace, margin


class FreshDraws:
    def __init__(self, seed):
        self.g = torch.Generator().manual_seed(seed)

    def multinomial(self, step, probs):
        return torch.multinomial(probs, 1, generator=self.g)

    def gumbel(self, step, shape):
        noise = torch.zeros(shape).uniform_(0, 1, generator=self.g)
        return -log_eps(-log_eps(noise))


class ReplayDraws:
    def __init__(self, mult, gumbel):
        self.mult, self.gum = mult, gumbel

    def multinomial(self, step, probs):
        return self.mult[step]

    def gumbel(self, step, shape):
        return self.gum[step].reshape(shape)


# ----------------------------------------------------------------------------------------------------------------
# MAGVIT-v2 (§5)

def Normalize(c):
    return nn.GroupNorm(num_groups=32, num_channels=c, eps=1e-6, affine=True)


def swish(x):
    return x * torch.sigmoid(x)


class ResnetBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.norm1 = Normalize(cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, 1, 1)
        self.norm2 = Normalize(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1)
        if cin != cout:
            self.nin_shortcut = nn.Conv2d(cin, cout, 1, 1, 0)
        self.cin, self.cout = cin, cout

    def forward(self, x):
        h = self.conv1(swish(self.norm1(x)))
        h = self.conv2(swish(self.norm2(h)))
        if self.cin != self.cout:
            x = self.nin_shortcut(x)
        return x + h


class AttnBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.norm = Normalize(c)
        self.q = nn.Conv2d(c, c, 1)
        self.k = nn.Conv2d(c, c, 1)
        self.v = nn.Conv2d(c, c, 1)
        self.proj_out = nn.Conv2d(c, c, 1)

    def forward(self, x):
        h = self.norm(x)
        q, k, v = self.q(h), self.k(h), self.v(h)
        b, c, hh, ww = q.shape
        q = q.reshape(b, c, hh * ww).permute(0, 2, 1)
        k = k.reshape(b, c, hh * ww)
        w = torch.bmm(q, k) * (int(c) ** (-0.5))
        w = F.softmax(w, dim=2)
        v = v.reshape(b, c, hh * ww)
        h = torch.bmm(v, w.permute(0, 2, 1)).reshape(b, c, hh, ww)
        return x + self.proj_out(h)


class Downsample(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, 2, 0)

    def forward(self, x):
        return self.conv(F.pad(x, (0, 1, 0, 1), mode="constant", value=0))


class Upsample(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, 1, 1)

    def forward(self, x):
        return self.conv(F.interpolate(x, scale_factor=2.0, mode="nearest"))


class Encoder(nn.Module):
    def __init__(self, ch, ch_mult, num_res_blocks, attn_resolutions, in_ch, resolution, z_channels, **_):
        super().__init__()
        self.nr, self.nrb = len(ch_mult), num_res_blocks
        self.conv_in = nn.Conv2d(in_ch, ch, 3, 1, 1)
        cur = resolution
        in_mult = (1,) + tuple(ch_mult)
        self.down = nn.ModuleList()
        for i in range(self.nr):
            blocks, attn = nn.ModuleList(), nn.ModuleList()
            bin_, bout = ch * in_mult[i], ch * ch_mult[i]
            for _ in range(num_res_blocks[i]):
                blocks.append(ResnetBlock(bin_, bout))
                bin_ = bout
                if cur in attn_resolutions:
                    attn.append(AttnBlock(bin_))
            d = nn.Module()
            d.block, d.attn = blocks, attn
            if i != self.nr - 1:
                d.downsample = Downsample(bin_)
                cur //= 2
            self.down.append(d)
        self.mid = nn.Module()
        self.mid.block_1 = ResnetBlock(bin_, bin_)
        self.mid.attn_1 = AttnBlock(bin_)
        self.mid.block_2 = ResnetBlock(bin_, bin_)
        self.norm_out = Normalize(bin_)
        self.conv_out = nn.Conv2d(bin_, z_channels, 3, 1, 1)
        self.quant_conv = nn.Conv2d(z_channels, z_channels, 1)

    def forward(self, x):
        h = self.conv_in(x)
        for i in range(self.nr):
            for j in range(self.nrb[i]):
                h = self.down[i].block[j](h)
                if len(self.down[i].attn) > 0:
                    h = self.down[i].attn[j](h)
            if i != self.nr - 1:
                h = self.down[i].downsample(h)
        h = self.mid.block_2(self.mid.attn_1(self.mid.block_1(h)))
        h = self.conv_out(swish(self.norm_out(h)))
        return self.quant_conv(h)


class Decoder(nn.Module):
    def __init__(self, ch, ch_mult, num_res_blocks, attn_resolutions, out_ch, resolution, z_channels, **_):
        super().__init__()
        self.nr, self.nrb = len(ch_mult), num_res_blocks
        bin_ = ch * ch_mult[self.nr - 1]
        cur = resolution // 2 ** (self.nr - 1)
        self.post_quant_conv = nn.Conv2d(z_channels, z_channels, 1)
        self.conv_in = nn.Conv2d(z_channels, bin_, 3, 1, 1)
        self.mid = nn.Module()
        self.mid.block_1 = ResnetBlock(bin_, bin_)
        self.mid.attn_1 = AttnBlock(bin_)
        self.mid.block_2 = ResnetBlock(bin_, bin_)
        self.up = nn.ModuleList()
        for i in reversed(range(self.nr)):
            blocks, attn = nn.ModuleList(), nn.ModuleList()
            bout = ch * ch_mult[i]
            for _ in range(num_res_blocks[i]):
                blocks.append(ResnetBlock(bin_, bout))
                bin_ = bout
                if cur in attn_resolutions:
                    attn.append(AttnBlock(bin_))
            u = nn.Module()
            u.block, u.attn = blocks, attn
            if i != 0:
                u.upsample = Upsample(bin_)
                cur *= 2
            self.up.insert(0, u)
        self.norm_out = Normalize(bin_)
        self.conv_out = nn.Conv2d(bin_, out_ch, 3, 1, 1)

    def forward(self, z):
        h = self.conv_in(self.post_quant_conv(z))
        h = self.mid.block_2(self.mid.attn_1(self.mid.block_1(h)))
        for i in reversed(range(self.nr)):
            for j in range(self.nrb[i]):
                h = self.up[i].block[j](h)
                if len(self.up[i].attn) > 0:
                    h = self.up[i].attn[j](h)
            if i != 0:
                h = self.up[i].upsample(h)
        return self.conv_out(swish(self.norm_out(h)))


class LFQ(nn.Module):
    def __init__(self, bits):
        super().__init__()
        self.bits = bits
        pv = 2 ** torch.arange(bits - 1, -1, -1)
        self.register_buffer("power_vals", pv)
        codes = torch.arange(2 ** bits)
        emb = ((codes[:, None] // pv) % 2).float() * 2 - 1
        self.register_buffer("embedding", emb)

    def get_code(self, z):
        b = z.shape[0]
        zz = z.permute(0, 2, 3, 1)
        return ((zz > 0).long() * self.power_vals).sum(-1).reshape(b, -1)

    def entry(self, idx):
        b, n = idx.shape
        h = w = int(math.sqrt(n))
        assert h * w == n
        return self.embedding[idx.reshape(-1)].view(b, h, w, -1).permute(0, 3, 1, 2).contiguous()


class Magvit(nn.Module):
    def __init__(self, mc):
        super().__init__()
        self.encoder = Encoder(**mc["encoder"])
        self.decoder = Decoder(**mc["decoder"])
        self.quantize = LFQ(mc["quantizer"]["codebook_dim"])

    def get_code(self, x):
        return self.quantize.get_code(self.encoder(x))

    def decode_code(self, codes):
        return self.decoder(self.quantize.entry(codes))


# ----------------------------------------------------------------------------------------------------------------
# Losses (§6.1, MMadaModelLM.forward_process)

def forward_process(model, input_ids, labels, bt, bl, bm, max_seq_length, p_mask_lm, p_mask_mmu, answer_lengths,
                    t2i_masks, mask_id, answer_lengths_lm=None):
    B, L = input_ids.shape
    bias = torch.ones(B, 1, L, L)
    bias[:bt] = pad_bias(t2i_masks).float()
    logits = model(input_ids, attention_bias=bias)
    V = logits.shape[-1]
    loss_t2i = F.cross_entropy(logits[:bt, max_seq_length + 1:].contiguous().view(-1, V),
                               labels[:bt, max_seq_length + 1:].contiguous().view(-1), ignore_index=-100)
    masked = input_ids == mask_id
    m_lm = masked[bt:bt + bl]
    m_mmu = masked[-bm:]
    l_lm = F.cross_entropy(logits[bt:bt + bl][m_lm].contiguous().view(-1, V), labels[bt:bt + bl][m_lm].contiguous()
                           .view(-1), ignore_index=-100, reduction="none") / p_mask_lm[m_lm]
    if answer_lengths_lm is not None:
        loss_lm = torch.sum(l_lm / answer_lengths_lm[m_lm]) / bl
    else:
        loss_lm = l_lm.sum() / (bl * L)
    l_mmu = F.cross_entropy(logits[-bm:][m_mmu].contiguous().view(-1, V), labels[-bm:][m_mmu].contiguous().view(-1),
                            ignore_index=-100, reduction="none") / p_mask_mmu[m_mmu]
    loss_mmu = torch.sum(l_mmu / answer_lengths[m_mmu]) / bm
    return logits, bias, loss_t2i, loss_lm, loss_mmu
