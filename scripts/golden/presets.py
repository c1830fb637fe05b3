"""Settings of the golden sets make_golden.py can write. Every size, id and sampler setting differs from tiny's so
that anything hard-coded to tiny shows up."""


def _tokens(byte0, bos, reserved0, mask, header0, text_len, llm_vocab, bits, n):
    names = ["<|soi|>", "<|eoi|>", "<|sov|>", "<|eov|>", "<|t2i|>", "<|mmu|>", "<|t2v|>", "<|v2v|>", "<|lvg|>",
             "[iPAD]", "<|r2i|>"]
    t = {"bytes": [byte0, byte0 + 255], "<|startoftext|>": bos, "<|endoftext|>": bos + 1}
    t.update({k: reserved0 + i for i, k in enumerate(names)})
    t.update({"<|mdm_mask|>": mask, "<|start_header_id|>": header0, "<|end_header_id|>": header0 + 1,
              "<|eot_id|>": header0 + 2, "text_tokenizer_len": text_len, "image_token_offset": text_len,
              "llm_vocab_size": llm_vocab, "codebook_size": 2 ** bits, "vocab_size": llm_vocab + 2 ** bits,
              "num_vq_tokens": n})
    return t


# g2: d 96 / 3 heads (head_dim 32) / 3 layers / mlp 160, rope 10000, ids shifted (bytes start at 7), image
# offset 301, 7-bit codebook, 48x48 images (3x3 = 9 tokens), bf16 weights in two shards.
_G2_TOKENS = _tokens(byte0=7, bos=263, reserved0=266, mask=290, header0=295, text_len=301, llm_vocab=312, bits=7, n=9)

PRESETS = {
    "g2": dict(
        seed=5,
        weights_dtype="bfloat16",
        shards=2,
        tokens=_G2_TOKENS,
        config=dict(d_model=96, n_heads=3, n_kv_heads=3, n_layers=3, mlp_hidden_size=160, rope_theta=10000.0,
                    vocab_size=_G2_TOKENS["vocab_size"], embedding_size=_G2_TOKENS["vocab_size"],
                    new_vocab_size=_G2_TOKENS["vocab_size"], llm_vocab_size=_G2_TOKENS["llm_vocab_size"],
                    codebook_size=_G2_TOKENS["codebook_size"], num_vq_tokens=_G2_TOKENS["num_vq_tokens"],
                    mask_token_id=_G2_TOKENS["<|mdm_mask|>"], eos_token_id=_G2_TOKENS["<|endoftext|>"],
                    pad_token_id=_G2_TOKENS["<|endoftext|>"]),
        magvit=dict(
            encoder=dict(ch=32, ch_mult=[1, 2, 1, 3, 3], num_res_blocks=[2, 1, 1, 2, 1], resolution=48, z_channels=7),
            decoder=dict(ch=32, ch_mult=[1, 2, 1, 2, 3], num_res_blocks=[1, 2, 1, 1, 2], resolution=48, z_channels=7),
            quantizer=dict(codebook_dim=7)),
        settings=dict(
            forward=dict(question="Is 7 prime?", masks=6, codes=[3, 77, 127, 0], length=40, pads=[3, 9]),
            text=dict(prompt="Tom has 5 apples and eats 2. How many are left?", steps=10, gen_length=24,
                      block_length=12, cfg_scale=2.0),
            mmu=dict(prompt="What is shown?", max_new_tokens=20, steps=6, block_length=20),
            t2i=dict(max_text_len=20, timesteps=10, guidance_scale=2.5, temperature=1.0, generator_seed=1,
                     prompt="a blue sphere"),
            magvit=dict(fixed_mult=11),
            train=dict(
                max_seq_length=30, batch_size_t2i=2, batch_size_lm=1, batch_size_mmu=2,
                t2i_texts=["a tall red tower", "green grass"], t2i_t=[0.35, 0.6], t2i_drop=[0.05, 0.8],
                lm_texts=["Hello world, this is a test."], lm_t=[0.55],
                mmu_texts=["<|start_header_id|>user<|end_header_id|>\nColor?<|eot_id|><|start_header_id|>assistant"
                           "<|end_header_id|>\nBlue.", "Two dogs."], mmu_t=[0.4, 0.7],
                chat_lm_texts=["<|start_header_id|>user<|end_header_id|>\nName a fruit.<|eot_id|><|start_header_id|>"
                               "assistant<|end_header_id|>\nApple."], chat_lm_t=[0.65],
                coeffs=[0.5, 0.3, 0.2], lr=2e-3, betas=[0.9, 0.95], adam_eps=1e-8, weight_decay=0.05,
                max_grad_norm=1.0, cond_dropout_prob=0.1, eps=1e-3, uniforms_seed=2001),
        ),
    ),
}

# g3: awkward sizes (d 72, head_dim 18, mlp 100, odd vocab 315, 1 layer), fp32 in three shards, bytes at 0,
# 5-bit codebook, 80x80 images (5x5 = 25 tokens: attn_resolutions [5] now MATCHES the last encoder level and the
# first decoder level, so those levels get attention blocks), t2i without CFG (guidance 0: batch 1).
_G3_TOKENS = _tokens(byte0=0, bos=256, reserved0=259, mask=272, header0=275, text_len=280, llm_vocab=283, bits=5,
                     n=25)
PRESETS["g3"] = dict(
    seed=11,
    weights_dtype="float32",
    shards=3,
    tokens=_G3_TOKENS,
    config=dict(d_model=72, n_heads=4, n_kv_heads=4, n_layers=1, mlp_hidden_size=100, rope_theta=1000000.0,
                vocab_size=_G3_TOKENS["vocab_size"], embedding_size=_G3_TOKENS["vocab_size"],
                new_vocab_size=_G3_TOKENS["vocab_size"], llm_vocab_size=_G3_TOKENS["llm_vocab_size"],
                codebook_size=_G3_TOKENS["codebook_size"], num_vq_tokens=_G3_TOKENS["num_vq_tokens"],
                mask_token_id=_G3_TOKENS["<|mdm_mask|>"], eos_token_id=_G3_TOKENS["<|endoftext|>"],
                pad_token_id=_G3_TOKENS["<|endoftext|>"]),
    magvit=dict(
        encoder=dict(ch=32, ch_mult=[1, 1, 2, 2, 2], num_res_blocks=[1, 1, 1, 1, 2], resolution=80, z_channels=5),
        decoder=dict(ch=32, ch_mult=[1, 1, 1, 2, 2], num_res_blocks=[1, 1, 1, 1, 2], resolution=80, z_channels=5),
        quantizer=dict(codebook_dim=5)),
    settings=dict(
        forward=dict(question="Why?", masks=5, codes=[1, 31], length=33, pads=[4, 0]),
        text=dict(prompt="Count to five.", steps=9, gen_length=15, block_length=5, cfg_scale=0.5),
        mmu=dict(prompt="Describe it.", max_new_tokens=12, steps=6, block_length=4),
        t2i=dict(max_text_len=12, timesteps=5, guidance_scale=0.0, temperature=1.0, generator_seed=3,
                 prompt="a cat"),
        magvit=dict(fixed_mult=3),
        train=dict(
            max_seq_length=24, batch_size_t2i=1, batch_size_lm=2, batch_size_mmu=1,
            t2i_texts=["a red car"], t2i_t=[0.5], t2i_drop=[0.5],
            lm_texts=["Some text here.", "More."], lm_t=[0.4, 0.8],
            mmu_texts=["<|start_header_id|>user<|end_header_id|>\nWhat?<|eot_id|><|start_header_id|>assistant"
                       "<|end_header_id|>\nA cat."], mmu_t=[0.6],
            chat_lm_texts=["<|start_header_id|>user<|end_header_id|>\nHi<|eot_id|><|start_header_id|>"
                           "assistant<|end_header_id|>\nHello.", "<|start_header_id|>user<|end_header_id|>\n"
                           "2+2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n4"], chat_lm_t=[0.5, 0.9],
            coeffs=[1.0, 0.5, 0.25], lr=5e-4, betas=[0.85, 0.99], adam_eps=1e-6, weight_decay=0.0,
            max_grad_norm=5.0, cond_dropout_prob=0.1, eps=1e-3, uniforms_seed=7),
    ),
)
