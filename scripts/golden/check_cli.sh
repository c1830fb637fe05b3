#!/usr/bin/env bash
# Runs `mmada4j debug forward / generate / vq-encode / vq-decode` on a golden set and compares the outputs with
# the set's arrays (sizes, ids and sampler settings read from its meta.json).
#   scripts/golden/check_cli.sh /tmp/golden-g2
set -euo pipefail
G=${1:?golden directory}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
M() { "$ROOT/mmada4j" "$@"; }
arg() { python3 -c "import json,sys; m=json.load(open('$G/meta.json')); print(eval(sys.argv[1]))" "$1"; }

M debug forward --model "$G" --input "$G/forward_input_ids.npy" --output "$T/logits.npy" --hidden-states "$T/hidden.npy"
M debug forward --model "$G" --input "$G/forward_masked_input_ids.npy" \
    --attention-mask "$G/forward_masked_attention_mask.npy" --output "$T/masked.npy"
M debug generate --model "$G" --input "$G/text_prompt_ids.npy" --output "$T/text.npy" \
    --gen-length "$(arg "m['text_cases'][0]['gen_length']")" --block-length "$(arg "m['text_cases'][0]['block_length']")" \
    --steps "$(arg "m['text_cases'][0]['steps']")"
M debug generate --model "$G" --input "$G/text_prompt_ids.npy" --output "$T/text_cfg.npy" \
    --gen-length "$(arg "m['text_cases'][1]['gen_length']")" --block-length "$(arg "m['text_cases'][1]['block_length']")" \
    --steps "$(arg "m['text_cases'][1]['steps']")" --cfg "$(arg "m['text_cases'][1]['cfg_scale']")"
M debug generate --model "$G" --input "$G/mmu_input_ids.npy" --output "$T/mmu.npy" \
    --gen-length "$(arg "m['mmu']['max_new_tokens']")" --block-length "$(arg "m['mmu']['block_length']")" \
    --steps "$(arg "m['mmu']['steps']")"
M debug vq-encode --vq "$G" --input "$G/magvit_input.npy" --output "$T/codes.npy" --latent "$T/latent.npy"
M debug vq-decode --vq "$G" --input "$G/magvit_codes.npy" --output "$T/decoded.npy"
M debug vq-decode --vq "$G" --input "$G/magvit_fixed_codes.npy" --output "$T/fixed.npy"
M debug vq-decode --vq "$G" --input "$G/t2i_gen_codes.npy" --output "$T/t2i_image.npy"

python3 - "$G" "$T" <<'EOF'
import sys, numpy as np
g, t = sys.argv[1:]
pairs = [("logits", "forward_logits", 1e-4), ("hidden", "forward_hidden_states", 1e-4),
         ("masked", "forward_masked_logits", 1e-4), ("text", "text_gen_ids", 0), ("text_cfg", "text_cfg_gen_ids", 0),
         ("mmu", "mmu_gen_ids", 0), ("codes", "magvit_codes", 0), ("latent", "magvit_encoder_out", 5e-5),
         ("decoded", "magvit_decoded", 5e-5), ("fixed", "magvit_fixed_decoded", 5e-5), ("t2i_image", "t2i_image", 5e-5)]
bad = 0
for mine, ref, tol in pairs:
    a, b = np.load(f"{t}/{mine}.npy"), np.load(f"{g}/{ref}.npy")
    if a.shape != b.shape:
        print(f"FAIL {ref}: shape {a.shape} vs {b.shape}"); bad += 1; continue
    d = float(np.abs(a.astype(np.float64) - b.astype(np.float64)).max()) if a.size else 0.0
    if tol:  # fp32 noise grows with the values' magnitude (as in MmadaForwardParityTest.atol)
        tol = max(tol, 2e-5 * float(np.abs(b).max()))
    ok = d <= tol
    bad += not ok
    print(f"{'ok  ' if ok else 'FAIL'} {ref:24s} max|diff| {d:.3g} (tol {tol:.3g})")
print("CLI", "PASSED" if bad == 0 else f"FAILED ({bad})")
sys.exit(1 if bad else 0)
EOF
