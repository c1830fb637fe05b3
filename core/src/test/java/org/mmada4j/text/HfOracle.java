package org.mmada4j.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** The Rust Hugging Face tokenizers library (through DJL's JNI binding): the test oracle. */
final class HfOracle implements AutoCloseable {
    private final HuggingFaceTokenizer tok;

    HfOracle(Path tokenizerJson) {
        this(tokenizerJson, false, 0);
    }

    /** With the post-processor's special tokens and, when maxLength > 0, truncation to maxLength ids. */
    HfOracle(Path tokenizerJson, boolean addSpecialTokens, int maxLength) {
        try {
            HuggingFaceTokenizer.Builder b = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerJson)
                    .optAddSpecialTokens(addSpecialTokens).optPadding(false).optTruncation(maxLength > 0);
            if (maxLength > 0) {
                b.optMaxLength(maxLength);
            }
            tok = b.build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int[] encode(String s) {
        return toInts(tok.encode(s).getIds());
    }

    /** Batch encoding (the library runs it on its own threads). */
    int[][] encodeAll(List<String> strings) {
        Encoding[] enc = tok.batchEncode(strings);
        int[][] out = new int[enc.length][];
        for (int i = 0; i < enc.length; i++) {
            out[i] = toInts(enc[i].getIds());
        }
        return out;
    }

    String decode(int[] ids, boolean skipSpecial) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return tok.decode(l, skipSpecial);
    }

    private static int[] toInts(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    @Override
    public void close() {
        tok.close();
    }
}
