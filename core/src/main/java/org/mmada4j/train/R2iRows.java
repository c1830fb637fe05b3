package org.mmada4j.train;

import java.util.List;
import org.mmada4j.data.DataFormatException;
import org.mmada4j.data.ImageTokenCache;
import org.mmada4j.data.LengthPolicy;
import org.mmada4j.data.ShuffledStream;
import org.mmada4j.data.TrainingExample;
import org.mmada4j.prompt.ChatTemplate;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.text.TextTokenizer;

/**
 * Clean reasoning-to-image rows of Mixed Long-CoT SFT (MMaDA paper §2.3 / Eq. 2; spec §3 r2i, §6.3):
 * the user turn is the example's prompt, the assistant turn {@code <think>reasoning</think>}, rendered
 * with the chat template (the assistant's {@code <|eot_id|>} dropped, EOS ends the text as in chat SFT)
 * and laid out by {@link TrainingSequences#r2i}: {@code <|r2i|> text(T) <|soi|> image <|eoi|>}. The
 * image is tokenized once through the {@link ImageTokenCache}.
 *
 * <p>The reasoning is never cut: a cut would drop {@code </think>} and teach a reasoning that never
 * closes before the image. A text longer than T is skipped and counted ({@code too_long = skip}) or
 * an error naming the example and both lengths (otherwise).
 */
public final class R2iRows {
    private final ShuffledStream stream;
    private final ImageTokenCache images;
    private final TextTokenizer tokenizer;
    private final SpecialTokens tokens;
    private final TrainingSequences seq;
    private final LengthPolicy tooLong;
    private long skippedTooLong;

    public R2iRows(ShuffledStream stream, ImageTokenCache images, TextTokenizer tokenizer, SpecialTokens tokens,
                   TrainingSequences seq, LengthPolicy tooLong) {
        this.stream = stream;
        this.images = images;
        this.tokenizer = tokenizer;
        this.tokens = tokens;
        this.seq = seq;
        this.tooLong = tooLong;
    }

    public long skippedTooLong() {
        return skippedTooLong;
    }

    /** The next row of the stream (skipping too-long examples under {@code too_long = skip}). */
    public TrainingSequences.Row next() {
        long startEpoch = stream.epoch();
        while (true) {
            if (stream.epoch() > startEpoch + 1) {
                // a whole epoch skipped: no example fits, skipping would never end
                throw new DataFormatException("every r2i example is longer than max_text_length = " + seq.maxTextLength()
                        + " (with BOS and EOS); raise max_text_length or shorten the reasoning");
            }
            TrainingExample e = stream.next();
            if (!(e instanceof TrainingExample.R2i r)) {
                throw new DataFormatException(e.source() + ": r2i data must be {\"prompt\", \"reasoning\", \"image\"} lines");
            }
            int[] text = text(r);
            // the text area holds BOS + text + EOS
            if (text.length + 1 > seq.maxTextLength()) {
                if (tooLong == LengthPolicy.SKIP) {
                    skippedTooLong++;
                    continue;
                }
                throw new DataFormatException(r.source() + ": prompt + <think>reasoning</think> is " + (text.length + 1)
                        + " tokens with BOS and EOS, the r2i text area holds max_text_length = " + seq.maxTextLength()
                        + " (reasoning is never cut; shorten it, raise max_text_length, or set too_long = skip)");
            }
            return row(r, text);
        }
    }

    /** The row of one example whose text fits (see {@link #next}). */
    TrainingSequences.Row row(TrainingExample.R2i r, int[] text) {
        int[] codes = images.codes(r.image(), r.source());
        if (codes.length != tokens.numVqTokens()) {
            throw new DataFormatException(r.source() + ": the image tokenizes to " + codes.length + " codes, the model expects "
                    + tokens.numVqTokens() + " (check the resolution)");
        }
        int[] imageIds = new int[codes.length];
        for (int i = 0; i < codes.length; i++) {
            imageIds[i] = tokens.imageToken(codes[i]);
        }
        return seq.r2i(text, imageIds);
    }

    /** BOS + the chat-templated user prompt and {@code <think>reasoning</think>} assistant turn. */
    int[] text(TrainingExample.R2i r) {
        String t = ChatTemplate.render(List.of(new ChatTemplate.Message("user", r.prompt()),
                new ChatTemplate.Message("assistant", "<think>" + r.reasoning() + "</think>")), false);
        if (t.endsWith("<|eot_id|>")) {
            t = t.substring(0, t.length() - "<|eot_id|>".length());
        }
        return tokens.withBos(tokenizer.encode(t));
    }
}
