package org.mmada4j.text;

import java.util.OptionalInt;

/**
 * Text to token ids and back. Implementations must be thread-safe.
 *
 * <p>{@link #encode} adds no BOS/EOS of its own (the prompt layouts add them explicitly, as the
 * reference's {@code UniversalPrompting} does); special/added tokens that appear literally in the text
 * are matched as single ids.
 */
public interface TextTokenizer {
    /** Ids of {@code text}, special tokens inside it matched, no BOS/EOS added. */
    int[] encode(String text);

    /** Text of {@code ids}; special tokens dropped when {@code skipSpecialTokens}. */
    String decode(int[] ids, boolean skipSpecialTokens);

    /** {@code len(tokenizer)}: the number of ids the tokenizer can produce (MMaDA's image-token offset). */
    int size();

    /** Id of a token given by its exact string (vocabulary or added token), if present. */
    OptionalInt tokenId(String token);
}
