package org.mmada4j.train;

import java.util.List;
import org.mmada4j.data.DataFormatException;
import org.mmada4j.data.LengthPolicy;
import org.mmada4j.data.ShuffledStream;
import org.mmada4j.data.TrainingExample;
import org.mmada4j.prompt.ChatTemplate;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.text.TextTokenizer;

/**
 * Noised text batches for the LM stages: pretraining rows {@code <bos> text <eos>…} (every position may
 * be masked, ÷ B·L) or chat SFT rows (the prompt through the last {@code <|end_header_id|>} never masked,
 * ÷ answer length), drawn from a {@link ShuffledStream} and noised with the run's {@link RandomSource}.
 * An example longer than the row is cut, skipped or an error per the {@link LengthPolicy}.
 */
public final class TextBatches {
    private final ShuffledStream stream;
    private final TextTokenizer tokenizer;
    private final SpecialTokens tokens;
    private final TrainingSequences sequences;
    private final MaskedNoising noising;
    private final boolean chat;
    private final int length;
    private final LengthPolicy tooLong;
    private long skippedTooLong;

    public TextBatches(ShuffledStream stream, TextTokenizer tokenizer, SpecialTokens tokens, boolean chat, int length,
                       LengthPolicy tooLong, float maskEps) {
        this.stream = stream;
        this.tokenizer = tokenizer;
        this.tokens = tokens;
        this.chat = chat;
        this.length = length;
        this.tooLong = tooLong;
        this.sequences = new TrainingSequences(tokens, Math.max(3, length));
        this.noising = new MaskedNoising(tokens.mask(), maskEps, 0f);
    }

    public long skippedTooLong() {
        return skippedTooLong;
    }

    /** The next noised batch of {@code rows} sequences. */
    public DiffusionLoss.Batch next(int rows, RandomSource rng) {
        int[][] clean = new int[rows][];
        int[][] prompt = new int[rows][];
        for (int r = 0; r < rows; r++) {
            TrainingSequences.Row row = nextRow();
            clean[r] = row.ids();
            prompt[r] = row.mask();
        }
        MaskedNoising.TextNoise noise = noising.noiseText(clean, chat ? prompt : null, rng);
        int[] ids = new int[rows * length];
        int[] labels = new int[rows * length];
        int[] answer = new int[rows];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(noise.ids()[r], 0, ids, r * length, length);
            System.arraycopy(clean[r], 0, labels, r * length, length);
            for (int v : prompt[r]) {
                answer[r] += 1 - v;
            }
        }
        return new DiffusionLoss.Batch(ids, labels, length, 0, rows, 0, noise.p(), chat ? answer : null,
                new float[0], new int[0], 0);
    }

    private TrainingSequences.Row nextRow() {
        while (true) {
            TrainingExample e = stream.next();
            int[] ids = encode(e);
            // the row holds BOS + text + EOS
            if (ids.length + 1 > length) {
                switch (tooLong) {
                    case FAIL -> throw new DataFormatException(e.source() + ": " + (ids.length + 1) + " tokens do not fit the"
                            + " training sequence of " + length + " (too_long = fail)");
                    case SKIP -> {
                        skippedTooLong++;
                        continue;
                    }
                    case TRUNCATE -> { }
                }
            }
            if (chat && promptLength(ids) >= length) {
                // the cut removes the whole answer (and the prompt's last header): nothing to learn
                skippedTooLong++;
                continue;
            }
            TrainingSequences.Row row = chat ? sequences.lmChat(ids, length) : sequences.lm(ids, length);
            return row;
        }
    }

    /** Tokens through the last {@code <|end_header_id|>} of the full (uncut) example. */
    private int promptLength(int[] ids) {
        for (int i = ids.length - 1; i >= 0; i--) {
            if (ids[i] == tokens.endHeader()) {
                return i + 1;
            }
        }
        return 0;
    }

    private int[] encode(TrainingExample e) {
        if (e instanceof TrainingExample.Text t) {
            if (chat) {
                throw new DataFormatException(e.source() + ": a text example in an SFT (chat) run");
            }
            return tokens.withBos(tokenizer.encode(t.text()));
        }
        if (e instanceof TrainingExample.Chat c) {
            if (!chat) {
                throw new DataFormatException(e.source() + ": a chat example in a pretraining (text) run");
            }
            List<ChatTemplate.Message> msgs = c.messages().stream()
                    .map(m -> new ChatTemplate.Message(m.role(), m.content())).toList();
            // BOS + "<|start_header_id|>role<|end_header_id|>\ncontent<|eot_id|>"…; the last (assistant)
            // turn is the answer, so its <|eot_id|> is dropped and EOS ends the row.
            String text = ChatTemplate.render(msgs, false);
            if (text.endsWith("<|eot_id|>")) {
                text = text.substring(0, text.length() - "<|eot_id|>".length());
            }
            return tokens.withBos(tokenizer.encode(text));
        }
        throw new DataFormatException(e.source() + ": " + e.getClass().getSimpleName() + " examples need the joint t2i/mmu trainer");
    }
}
