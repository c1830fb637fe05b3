package org.mmada4j.text;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code normalizer} of a {@code tokenizer.json} (tokenizers' normalizers/*.rs), on whole strings:
 * MMaDA needs ids, not offsets, so no alignment is tracked.
 */
interface Normalizer {
    String normalize(String s);

    /** NFC, NFD, NFKC, NFKD. */
    record Unicode(java.text.Normalizer.Form form) implements Normalizer {
        @Override
        public String normalize(String s) {
            return java.text.Normalizer.isNormalized(s, form) ? s : java.text.Normalizer.normalize(s, form);
        }
    }

    /** {@code Lowercase}: per code point with the full mapping (Rust's char::to_lowercase: no final-sigma rule). */
    record Lowercase() implements Normalizer {
        @Override
        public String normalize(String s) {
            StringBuilder b = null;
            for (int i = 0; i < s.length(); ) {
                int cp = s.codePointAt(i);
                int n = Character.charCount(cp);
                String lower = cp < 0x80 ? null : new String(Character.toChars(cp)).toLowerCase(Locale.ROOT);
                boolean changed = cp < 0x80 ? (cp >= 'A' && cp <= 'Z') : !lower.equals(s.substring(i, i + n));
                if (changed && b == null) {
                    b = new StringBuilder(s.length()).append(s, 0, i);
                }
                if (b != null) {
                    if (cp < 0x80) {
                        b.append((char) (cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
                    } else {
                        b.append(lower);
                    }
                }
                i += n;
            }
            return b == null ? s : b.toString();
        }
    }

    /** {@code Strip}: White_Space trimmed on the chosen sides. */
    record Strip(boolean left, boolean right) implements Normalizer {
        @Override
        public String normalize(String s) {
            int start = 0, end = s.length();
            if (left) {
                while (start < end && isWhitespace(s.codePointAt(start))) {
                    start += Character.charCount(s.codePointAt(start));
                }
            }
            if (right) {
                while (end > start && isWhitespace(s.codePointBefore(end))) {
                    end -= Character.charCount(s.codePointBefore(end));
                }
            }
            return s.substring(start, end);
        }
    }

    /** {@code StripAccents}: drops combining marks (general category M: Mn, Mc, Me). */
    record StripAccents() implements Normalizer {
        @Override
        public String normalize(String s) {
            StringBuilder b = new StringBuilder(s.length());
            s.codePoints().filter(cp -> !isMark(cp)).forEach(b::appendCodePoint);
            return b.toString();
        }
    }

    /** {@code Replace}: every match of a literal or regex pattern becomes {@code content}. */
    record Replace(Pattern pattern, String content) implements Normalizer {
        @Override
        public String normalize(String s) {
            Matcher m = pattern.matcher(s);
            return m.find() ? m.replaceAll(Matcher.quoteReplacement(content)) : s;
        }
    }

    /** {@code Prepend}: adds a prefix to non-empty text. */
    record Prepend(String prefix) implements Normalizer {
        @Override
        public String normalize(String s) {
            return s.isEmpty() ? s : prefix + s;
        }
    }

    record Sequence(List<Normalizer> steps) implements Normalizer {
        @Override
        public String normalize(String s) {
            for (Normalizer n : steps) {
                s = n.normalize(s);
            }
            return s;
        }
    }

    static boolean isMark(int cp) {
        int t = Character.getType(cp);
        return t == Character.NON_SPACING_MARK || t == Character.COMBINING_SPACING_MARK || t == Character.ENCLOSING_MARK;
    }

    /** Rust's char::is_whitespace: the Unicode White_Space property. */
    static boolean isWhitespace(int cp) {
        return switch (cp) {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }
}
