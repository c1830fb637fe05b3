package org.mmada4j.text;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Translates the Oniguruma regexes of {@code tokenizer.json} (the Rust library compiles them with
 * the onig crate, UTF-8, Unicode semantics) into {@link java.util.regex.Pattern}s that match the
 * same strings.
 *
 * <p>The differences that matter for real tokenizers: {@code \s}, {@code \d}, {@code \w} are
 * Unicode-aware in Oniguruma but ASCII-only in Java, and {@code (?i)} folds case over all of Unicode
 * in Oniguruma (so {@code 'ſ} matches {@code 's}). Everything else in the GPT-2/GPT-4/Llama-3/Qwen
 * patterns ({@code \p{L}}, {@code \p{N}}, lookahead, possessive quantifiers) means the same in both.
 */
final class HfRegex {
    // Oniguruma's \s is the White_Space property; Java spells it \p{IsWhite_Space}.
    private static final String SPACE = "\\p{IsWhite_Space}";
    private static final String NOT_SPACE = "\\P{IsWhite_Space}";
    // Oniguruma's \w: Letter | Mark | Decimal_Number | Connector_Punctuation.
    private static final String WORD_BODY = "\\p{L}\\p{M}\\p{Nd}\\p{Pc}";

    private HfRegex() {}

    /** Compiles {@code regex} (from the field {@code field} of {@code source}) with Oniguruma semantics. */
    static Pattern compile(String regex, String source, String field) {
        try {
            return Pattern.compile(translate(regex, source, field));
        } catch (PatternSyntaxException e) {
            throw new TokenizerFormatException(source, field, "regex does not compile: " + e.getDescription()
                    + " in " + regex);
        }
    }

    static String translate(String regex, String source, String field) {
        StringBuilder out = new StringBuilder(regex.length() + 32);
        int depth = 0; // inside a character class
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                char e = regex.charAt(++i);
                switch (e) {
                    case 's' -> out.append(SPACE);
                    case 'S' -> out.append(NOT_SPACE);
                    case 'd' -> out.append("\\p{Nd}");
                    case 'D' -> out.append("\\P{Nd}");
                    case 'w' -> out.append(depth > 0 ? WORD_BODY : "[" + WORD_BODY + "]");
                    case 'W' -> {
                        if (depth > 0) {
                            throw new TokenizerFormatException(source, field,
                                    "\\W inside a character class is not supported: " + regex);
                        }
                        out.append("[^").append(WORD_BODY).append(']');
                    }
                    case 'h' -> out.append(depth > 0 ? "0-9a-fA-F" : "[0-9a-fA-F]"); // Oniguruma: hex digit
                    case 'p', 'P' -> i = property(regex, i, e, out);
                    default -> out.append('\\').append(e);
                }
                continue;
            }
            if (c == '[') {
                depth++;
            } else if (c == ']' && depth > 0) {
                depth--;
            } else if (c == '(' && depth == 0 && regex.startsWith("(?i", i)) {
                // Unicode case folding, as Oniguruma does: (?i -> (?iu
                out.append("(?iu");
                i += 2;
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * {@code \p{Name}}: general categories ({@code L}, {@code Lu}, …) mean the same in Java; script
     * names ({@code Han}, {@code Hiragana}) need Java's {@code Is} prefix, and Oniguruma's
     * {@code Alpha} is Unicode Alphabetic (ASCII-only in Java). Returns the index of the closing brace.
     */
    private static int property(String regex, int i, char p, StringBuilder out) {
        if (i + 1 >= regex.length() || regex.charAt(i + 1) != '{') {
            out.append('\\').append(p);
            return i;
        }
        int close = regex.indexOf('}', i);
        if (close < 0) {
            out.append('\\').append(p);
            return i;
        }
        String name = regex.substring(i + 2, close);
        boolean negate = name.startsWith("^");
        if (negate) {
            name = name.substring(1);
        }
        char kind = negate ^ (p == 'P') ? 'P' : 'p';
        String java;
        if (name.length() <= 2 || name.startsWith("Is") || name.startsWith("In") || name.contains("=")) {
            java = name;
        } else if (name.equalsIgnoreCase("Alpha")) {
            java = "IsAlphabetic";
        } else {
            java = "Is" + name;
        }
        out.append('\\').append(kind).append('{').append(java).append('}');
        return close;
    }
}
