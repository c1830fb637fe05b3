package org.mmada4j.score;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mmada4j.text.BpeTokenizer;

/**
 * CLIPProcessor's text half: the checkpoint's {@code tokenizer.json} with its post-processor's start
 * and end tokens, truncated to {@code max_position_embeddings} (77 for every public CLIP) keeping the
 * end token, as {@code processor(text=…, truncation=True, max_length=77)} does. Padding is not
 * needed: {@link ClipModel} runs each text at its own length under the causal mask.
 */
public final class ClipTextProcessor {
    private final BpeTokenizer tokenizer;
    private final int maxLength;

    public ClipTextProcessor(BpeTokenizer tokenizer, int maxLength) {
        if (tokenizer.specialTokensAdded() == 0) {
            throw new IllegalArgumentException("the CLIP tokenizer adds no start/end tokens (its tokenizer.json has no"
                    + " post_processor with special tokens); CLIP pools the text at its end token");
        }
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
    }

    /** {@code dir/tokenizer.json}, truncating to {@code maxLength} ids. */
    public static ClipTextProcessor load(Path dir, int maxLength) {
        Path file = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no tokenizer.json (CLIP checkpoints that ship only"
                    + " vocab.json/merges.txt need a tokenizer.json; PickScore_v1 takes its processor from"
                    + " laion/CLIP-ViT-H-14-laion2B-s32B-b79K — pass that directory as the processor directory)");
        }
        return new ClipTextProcessor(BpeTokenizer.load(file), maxLength);
    }

    public int[] encode(String text) {
        return tokenizer.encodeWithSpecialTokens(text, maxLength);
    }

    public List<int[]> encode(List<String> texts) {
        List<int[]> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            out.add(encode(t));
        }
        return out;
    }
}
