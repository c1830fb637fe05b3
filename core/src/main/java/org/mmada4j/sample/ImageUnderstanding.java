package org.mmada4j.sample;

import java.util.Arrays;
import org.mmada4j.prompt.ChatTemplate;
import org.mmada4j.prompt.Prompting;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.prompt.TaskSequence;
import org.mmada4j.text.TextTokenizer;

/**
 * Image + question → answer ({@code inference_mmu.py}, {@code app.py}): the mmu layout
 * {@code <|mmu|> <|soi|> image <|eoi|>} + chat-templated question, then the text sampler on the appended
 * masks. Thinking mode prefixes the question with the reasoning instruction and splits the reply at
 * {@code </think>}. {@link #complete} continues a partially written answer instead (answer inpainting).
 */
public final class ImageUnderstanding {
    private final MaskPredictor model;
    private final TextTokenizer tokenizer;
    private final SpecialTokens tok;
    private final Prompting prompting;

    /** The answer and what it cost. */
    public record Result(Answers.Answer answer, int[] ids, int promptLength, int forwardPasses) {
    }

    public ImageUnderstanding(MaskPredictor model, TextTokenizer tokenizer, SpecialTokens tokens) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.tok = tokens;
        this.prompting = new Prompting(tokens);
    }

    /** The mmu prompt ids of an image's codes and a question. */
    public int[] prompt(int[] codes, String question, boolean think) {
        checkCodes(codes);
        int[] chat = ChatTemplate.encodeQuestion(tokenizer, tok, question, think);
        return prompting.mmuGen(prompting.imageTokens(codes), chat).ids();
    }

    public Result describe(int[] codes, String question, boolean think, TextSamplingParams p, SamplingRandom rnd,
                           TextStepListener listener) {
        int[] prompt = prompt(codes, question, think);
        TextSampler.Result r = new TextSampler(model, tok.mask()).generate(new int[][] {prompt}, null, p, rnd, listener);
        int[] row = r.ids()[0];
        return new Result(Answers.decode(row, prompt.length, row.length, tok, tokenizer), row, prompt.length,
                r.forwardPasses());
    }

    /**
     * Completes {@code partialAnswer} (its {@code <|mdm_mask|>} tokens are holes) followed by {@code p.genLength()}
     * new masks. The region after the prompt (partial answer + continuation) is decoded with the text sampler:
     * in {@code p}'s blocks when the region divides into them (and the steps into the blocks), else as one block.
     * Known answer tokens are kept.
     */
    public Result complete(int[] codes, String question, String partialAnswer, TextSamplingParams p,
                           SamplingRandom rnd, TextStepListener listener) {
        int[] prompt = prompt(codes, question, false);
        int[] partial = tokenizer.encode(partialAnswer);
        int region = partial.length + p.genLength();
        int len = prompt.length + region;
        int[] x = new int[len];
        System.arraycopy(prompt, 0, x, 0, prompt.length);
        System.arraycopy(partial, 0, x, prompt.length, partial.length);
        Arrays.fill(x, prompt.length + partial.length, len, tok.mask());
        int block = region % p.blockLength() == 0 && p.steps() % (region / p.blockLength()) == 0
                ? p.blockLength() : region;
        TextSamplingParams rp = new TextSamplingParams(region, block, p.steps(), p.temperature(), p.cfgScale(),
                p.remasking(), p.stopToken());
        TextSampler.Result r = new TextSampler(model, tok.mask()).fill(new int[][] {x}, null, prompt.length, rp, rnd,
                listener);
        int[] row = r.ids()[0];
        return new Result(Answers.decode(row, prompt.length, row.length, tok, tokenizer), row, prompt.length,
                r.forwardPasses());
    }

    private void checkCodes(int[] codes) {
        if (codes.length != tok.numVqTokens()) {
            throw new IllegalArgumentException("image gives " + codes.length + " codes, the model expects "
                    + tok.numVqTokens() + " (num_vq_tokens): wrong image size for this model");
        }
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] < 0 || codes[i] >= tok.codebookSize()) {
                throw new IllegalArgumentException("image code " + codes[i] + " at " + i + " outside [0, "
                        + tok.codebookSize() + ")");
            }
        }
    }
}
