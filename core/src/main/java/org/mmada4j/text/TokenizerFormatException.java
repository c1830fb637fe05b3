package org.mmada4j.text;

/**
 * A {@code tokenizer.json} this library cannot use: malformed, inconsistent, or naming a component
 * that is not implemented. The message names the file and the JSON field at fault.
 */
public final class TokenizerFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public TokenizerFormatException(String source, String field, String problem) {
        super(source + ": field '" + field + "': " + problem);
    }
}
