package org.mmada4j.sample;

import java.util.Arrays;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.text.TextTokenizer;

/**
 * Turning generated ids into text: the generated part up to the first end-of-text ({@code <|endoftext|>} or
 * {@code <|eot_id|>}), masks left by an early stop dropped, decoded with special tokens skipped
 * (generate.py's {@code batch_decode(..., skip_special_tokens=True)}; ids beyond the text vocabulary skipped);
 * and the "thinking" split.
 */
public final class Answers {
    /**
     * A decoded answer; in thinking mode {@code thinking} is the text inside {@code <think>…</think>} and
     * {@code answer} what follows it (without the tags both are the whole text / empty).
     */
    public record Answer(String text, String thinking, String answer) {
    }

    private Answers() {
    }

    /** Ids of {@code row[from, to)} up to (not including) the first EOS / eot_id, masks removed. */
    public static int[] generatedIds(int[] row, int from, int to, SpecialTokens tok) {
        int end = to;
        for (int t = from; t < to; t++) {
            if (row[t] == tok.eos() || row[t] == tok.eotId()) {
                end = t;
                break;
            }
        }
        return Arrays.stream(Arrays.copyOfRange(row, from, end)).filter(id -> id != tok.mask()).toArray();
    }

    public static Answer decode(int[] row, int from, int to, SpecialTokens tok, TextTokenizer tokenizer) {
        return split(text(generatedIds(row, from, to, tok), tok, tokenizer));
    }

    /**
     * Text of {@code ids} with special tokens skipped; masks and ids the tokenizer cannot produce (image tokens,
     * unused rows) are dropped, as HF's decode skips unknown ids.
     */
    public static String text(int[] ids, SpecialTokens tok, TextTokenizer tokenizer) {
        return tokenizer.decode(Arrays.stream(ids).filter(id -> id != tok.mask() && id >= 0 && id < tokenizer.size())
                .toArray(), true);
    }

    /** Splits {@code <think> reasoning </think> answer}; without {@code </think>} the whole text is the answer. */
    public static Answer split(String text) {
        int close = text.indexOf("</think>");
        if (close < 0) {
            return new Answer(text, "", text.strip());
        }
        int open = text.lastIndexOf("<think>", close);
        String thinking = text.substring(open < 0 ? 0 : open + "<think>".length(), close).strip();
        return new Answer(text, thinking, text.substring(close + "</think>".length()).strip());
    }
}
