package org.mmada4j.prompt;

import java.util.Arrays;

/**
 * MMaDA's task sequence layouts ({@code training/prompting_utils.py UniversalPrompting} with
 * {@code use_reserved_token=True}), as pure functions of token ids. Text ids come from a tokenizer
 * without BOS/EOS; every layout prepends BOS when missing, as the reference does.
 *
 * <p>{@code maxTextLen} is the reference's {@code max_text_len} argument T ({@code max_seq_length}:
 * 512 for inference); the t2i text prefix then has T+1 tokens. Nothing here assumes MMaDA-8B's sizes.
 */
public final class Prompting {
    /** Label of positions without a loss (PyTorch's {@code ignore_index}). */
    public static final int IGNORE = -100;

    private final SpecialTokens tok;

    public Prompting(SpecialTokens tokens) {
        this.tok = tokens;
    }

    public SpecialTokens tokens() {
        return tok;
    }

    /** Token ids of image codes (code + image offset). */
    public int[] imageTokens(int[] codes) {
        int[] out = new int[codes.length];
        for (int i = 0; i < codes.length; i++) {
            out[i] = tok.imageToken(codes[i]);
        }
        return out;
    }

    /** {@code n} mask tokens: an image (or answer) still to be generated. */
    public int[] masks(int n) {
        int[] m = new int[n];
        Arrays.fill(m, tok.mask());
        return m;
    }

    /**
     * t2i generation ({@code t2i_gen_prompt}): {@code [iPAD]… <|t2i|> BOS text EOS <|soi|> MASK×n <|eoi|>}, the
     * text area left-padded to T+1 (or truncated to T tokens + EOS); attention mask 0 on the pads.
     * An empty text gives the unconditional prompt of CFG.
     */
    public TaskSequence t2iGen(int[] textIds, int maxTextLen, int numImageTokens) {
        TaskSequence s = t2i(textIds, masks(numImageTokens), null, maxTextLen, false);
        int[] prompt = new int[s.length()];
        Arrays.fill(prompt, 0, maxTextLen + 2, 1);
        prompt[s.length() - 1] = 1;
        return new TaskSequence(s.ids(), s.attentionMask(), null, prompt);
    }

    /** The unconditional t2i prompt of classifier-free guidance (empty text). */
    public TaskSequence t2iUncond(int maxTextLen, int numImageTokens) {
        return t2iGen(new int[0], maxTextLen, numImageTokens);
    }

    /**
     * t2i training row ({@code t2i_prompt}). {@code imageIds} are token ids (code + offset, or MASK where
     * noised); {@code imageLabels} the image part's labels ({@code null}: all {@link #IGNORE});
     * {@code dropCondition}: the text is replaced by {@code <|t2i|> BOS EOS} (cond dropout, draw &lt; p).
     * Labels: text area ids (pads ignored), {@code <|soi|>}, image labels, {@code <|eoi|>}.
     */
    public TaskSequence t2i(int[] textIds, int[] imageIds, int[] imageLabels, int maxTextLen, boolean dropCondition) {
        if (maxTextLen < 2) {
            throw new IllegalArgumentException("max_text_len " + maxTextLen + " must be >= 2");
        }
        if (imageLabels != null && imageLabels.length != imageIds.length) {
            throw new IllegalArgumentException("image labels length " + imageLabels.length + " != image ids "
                    + imageIds.length);
        }
        int[] text = dropCondition ? new int[] {tok.bos()} : withBos(textIds);
        int[] core = concat(new int[] {tok.t2i()}, text, new int[] {tok.eos()});
        int area = maxTextLen + 1;
        int[] prefix = new int[area];
        int pads;
        if (core.length <= area) {
            pads = area - core.length;
            Arrays.fill(prefix, 0, pads, tok.iPad());
            System.arraycopy(core, 0, prefix, pads, core.length);
        } else {
            // truncate to T tokens and force EOS at the end
            pads = 0;
            System.arraycopy(core, 0, prefix, 0, area - 1);
            prefix[area - 1] = tok.eos();
        }
        int n = imageIds.length;
        int len = area + n + 2;
        int[] ids = new int[len];
        System.arraycopy(prefix, 0, ids, 0, area);
        ids[area] = tok.soi();
        System.arraycopy(imageIds, 0, ids, area + 1, n);
        ids[len - 1] = tok.eoi();
        int[] mask = new int[len];
        Arrays.fill(mask, pads, len, 1);
        int[] labels = ids.clone();
        Arrays.fill(labels, 0, pads, IGNORE);
        if (imageLabels != null) {
            System.arraycopy(imageLabels, 0, labels, area + 1, n);
        } else {
            Arrays.fill(labels, area + 1, area + 1 + n, IGNORE);
        }
        int[] prompt = new int[len];
        Arrays.fill(prompt, 0, area + 1, 1);
        prompt[len - 1] = 1;
        return new TaskSequence(ids, mask, labels, prompt);
    }

    /**
     * mmu training row ({@code mmu_prompt}): {@code <|mmu|> <|soi|> image <|eoi|>} + (BOS text EOS, right-padded
     * with EOS to exactly T tokens or truncated to T−1 + EOS). Labels ignore the image part; prompt = image part
     * + text through the last {@code <|end_header_id|>} (the image part only when there is none).
     */
    public TaskSequence mmu(int[] imageIds, int[] textIds, int maxTextLen) {
        int[] text = fitRight(concat(withBos(textIds), new int[] {tok.eos()}), maxTextLen, true);
        int head = imageIds.length + 3;
        int[] ids = concat(new int[] {tok.mmu(), tok.soi()}, imageIds, new int[] {tok.eoi()}, text);
        int[] labels = ids.clone();
        Arrays.fill(labels, 0, head, IGNORE);
        int[] prompt = promptThroughLastEndHeader(ids, head);
        return new TaskSequence(ids, ones(ids.length), labels, prompt);
    }

    /**
     * mmu inference ({@code inference_mmu.py}): {@code <|mmu|> <|soi|> image <|eoi|>} + the chat-templated ids
     * (which carry their own BOS), no padding; the sampler appends the answer's masks.
     */
    public TaskSequence mmuGen(int[] imageIds, int[] chatIds) {
        if (chatIds.length == 0) {
            throw new IllegalArgumentException("empty prompt: the mmu question has no tokens");
        }
        int[] ids = concat(new int[] {tok.mmu(), tok.soi()}, imageIds, new int[] {tok.eoi()}, chatIds);
        return new TaskSequence(ids, ones(ids.length), null, ones(ids.length));
    }

    /** Pre-training text ({@code lm_prompt}): BOS text EOS, EOS-padded to {@code length} (cut without EOS); labels = ids. */
    public TaskSequence lm(int[] textIds, int length) {
        int[] ids = fitRight(concat(withBos(textIds), new int[] {tok.eos()}), length, false);
        return new TaskSequence(ids, ones(length), ids.clone(), new int[length]);
    }

    /** Chat SFT text ({@code lm_chat_prompt}): as {@link #lm}, prompt = through the last {@code <|end_header_id|>}. */
    public TaskSequence lmChat(int[] textIds, int length) {
        TaskSequence s = lm(textIds, length);
        return new TaskSequence(s.ids(), s.attentionMask(), s.labels(), promptThroughLastEndHeader(s.ids(), 0));
    }

    /**
     * Reasoning-to-image ({@code r2i_prompt}): {@code <|r2i|>} + text (BOS … EOS, EOS-padded to T) + {@code <|soi|>}
     * image {@code <|eoi|>}. Prompt = task token + text through the last end header + soi + eoi; the reasoning text
     * after it and the image are predicted jointly (labels = ids there, {@code imageLabels} on the image when given).
     */
    public TaskSequence r2i(int[] textIds, int[] imageIds, int[] imageLabels, int maxTextLen) {
        int[] text = fitRight(concat(withBos(textIds), new int[] {tok.eos()}), maxTextLen, true);
        int[] ids = concat(new int[] {tok.r2i()}, text, new int[] {tok.soi()}, imageIds, new int[] {tok.eoi()});
        int[] prompt = new int[ids.length];
        int[] textPrompt = promptThroughLastEndHeader(concat(new int[] {tok.r2i()}, text), 1);
        System.arraycopy(textPrompt, 0, prompt, 0, textPrompt.length);
        int soi = 1 + text.length;
        prompt[soi] = 1;
        prompt[ids.length - 1] = 1;
        int[] labels = ids.clone();
        for (int i = 0; i < ids.length; i++) {
            if (prompt[i] == 1) {
                labels[i] = IGNORE;
            }
        }
        if (imageLabels != null) {
            if (imageLabels.length != imageIds.length) {
                throw new IllegalArgumentException("image labels length " + imageLabels.length + " != image ids "
                        + imageIds.length);
            }
            System.arraycopy(imageLabels, 0, labels, soi + 1, imageIds.length);
        }
        return new TaskSequence(ids, ones(ids.length), labels, prompt);
    }

    /** BOS prepended unless already first (an empty text becomes [BOS]). */
    public int[] withBos(int[] textIds) {
        int[] out = tok.withBos(textIds);
        return out == textIds ? textIds.clone() : out;
    }

    /**
     * 1 at [0, minPrompt) and through the last {@code <|end_header_id|>} at or after {@code minPrompt}; 0 after.
     */
    private int[] promptThroughLastEndHeader(int[] ids, int minPrompt) {
        int last = -1;
        for (int i = minPrompt; i < ids.length; i++) {
            if (ids[i] == tok.endHeader()) {
                last = i;
            }
        }
        int[] prompt = new int[ids.length];
        Arrays.fill(prompt, 0, Math.max(minPrompt, last + 1), 1);
        return prompt;
    }

    /** Right-pads with EOS to {@code length}; longer input is cut to length (−1 + EOS when {@code forceEos}). */
    private int[] fitRight(int[] ids, int length, boolean forceEos) {
        if (length <= 0) {
            throw new IllegalArgumentException("sequence length " + length + " must be positive");
        }
        int[] out = new int[length];
        if (ids.length <= length) {
            System.arraycopy(ids, 0, out, 0, ids.length);
            Arrays.fill(out, ids.length, length, tok.eos());
        } else if (forceEos) {
            System.arraycopy(ids, 0, out, 0, length - 1);
            out[length - 1] = tok.eos();
        } else {
            System.arraycopy(ids, 0, out, 0, length);
        }
        return out;
    }

    private static int[] ones(int n) {
        int[] a = new int[n];
        Arrays.fill(a, 1);
        return a;
    }

    static int[] concat(int[]... parts) {
        int n = 0;
        for (int[] p : parts) {
            n += p.length;
        }
        int[] out = new int[n];
        int o = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
