#!/usr/bin/env python3
"""Cross-check of `mmada4j debug generate` on settings the golden set does not cover (batch of 2, other block
lengths, steps and CFG scales): the golden tiny model re-run in plain PyTorch (torch_bench.py's architecture with
the golden weights, checked against forward_logits.npy) with LLaDA's generate() at temperature 0.

Usage: python3 bench/peer/check_generate.py [GOLDEN_DIR] [MMADA4J_JAR]
"""
import sys, json, numpy as np, torch, subprocess, os, tempfile
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.environ.get("MMADA4J_PEER_DIR", "/work/shared/peer")); sys.path.insert(0, HERE)
from torch_bench import Model
from torch_sampler import num_transfer_tokens
import torch.nn.functional as F
from safetensors.torch import load_file
G = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', '..', 'core/src/test/resources/golden/tiny')
JAR = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, '..', '..', 'app/target/mmada4j.jar')
cfg = json.load(open(G + '/config.json'))
m = Model(cfg['n_layers'], cfg['d_model'], cfg['n_heads'], cfg['mlp_hidden_size'], cfg['embedding_size'], cfg['rope_theta']).eval()
sd = load_file(G + '/model.safetensors')
new = {'wte.weight': sd['model.transformer.wte.weight'], 'ln_f.weight': sd['model.transformer.ln_f.weight'],
       'ff_out.weight': sd['model.transformer.ff_out.weight']}
for k, v in sd.items():
    if '.blocks.' in k:
        new[k.replace('model.transformer.', '')] = v
m.load_state_dict(new)
ids = torch.from_numpy(np.load(G + '/forward_input_ids.npy'))
ref = torch.from_numpy(np.load(G + '/forward_logits.npy'))
with torch.no_grad():
    print('torch twin vs golden forward logits max diff', (m(ids) - ref).abs().max().item())

@torch.no_grad()
def generate(prompt, steps, gen_length, block_length, cfg_scale, mask_id=288):
    x = torch.full((prompt.shape[0], prompt.shape[1] + gen_length), mask_id, dtype=torch.long)
    x[:, :prompt.shape[1]] = prompt
    prompt_index = x != mask_id
    nb = gen_length // block_length; steps //= nb
    for b in range(nb):
        s, e = prompt.shape[1] + b * block_length, prompt.shape[1] + (b + 1) * block_length
        k = num_transfer_tokens(x[:, s:e] == mask_id, steps)
        for i in range(steps):
            mi = x == mask_id
            if cfg_scale > 0:
                un = x.clone(); un[prompt_index] = mask_id
                l = m(torch.cat([x, un])); c, u = torch.chunk(l, 2); logits = u + (cfg_scale + 1) * (c - u)
            else:
                logits = m(x)
            x0 = logits.argmax(-1)
            p = F.softmax(logits.to(torch.float64), -1)
            x0p = torch.gather(p, -1, x0.unsqueeze(-1)).squeeze(-1)
            x0p[:, e:] = -np.inf
            x0 = torch.where(mi, x0, x); conf = torch.where(mi, x0p, torch.tensor(-np.inf, dtype=torch.float64))
            t = torch.zeros_like(x0, dtype=torch.bool)
            for j in range(conf.shape[0]):
                _, sel = torch.topk(conf[j], k=int(k[j, i])); t[j, sel] = True
            x[t] = x0[t]
    return x

TMP = tempfile.mkdtemp()
rng = np.random.default_rng(5)
prompts = torch.from_numpy(rng.integers(0, 256, size=(2, 23)).astype(np.int64)); prompts[:, 0] = 256
np.save(os.path.join(TMP, 'p.npy'), prompts.numpy())
J = [os.environ.get('JAVA', 'java'), '--add-modules', 'jdk.incubator.vector', '-jar', JAR]
ok = True
for (gl, bl, st, c) in [(48, 16, 12, 0.0), (40, 8, 20, 2.0), (24, 24, 6, 0.5), (32, 4, 32, 0.0)]:
    want = generate(prompts.clone(), st, gl, bl, c).numpy()
    subprocess.run(J + ['debug', 'generate', '--model', G, '--input', os.path.join(TMP, 'p.npy'), '--gen-length', str(gl),
                        '--block-length', str(bl), '--steps', str(st), '--cfg', str(c), '--output', os.path.join(TMP, 'o.npy')],
                   check=True, capture_output=True)
    got = np.load(os.path.join(TMP, 'o.npy'))
    print(f'gen {gl} block {bl} steps {st} cfg {c}: shape {got.shape}, equal tokens {(got == want).mean():.4f}')
    ok = ok and got.shape == want.shape and (got == want).all()
sys.exit(0 if ok else 1)
