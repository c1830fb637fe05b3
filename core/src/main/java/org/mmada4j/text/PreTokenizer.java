package org.mmada4j.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code pre_tokenizer} of a {@code tokenizer.json}: cuts normalized text into pieces that BPE
 * encodes independently (tokenizers' pre_tokenizers/*.rs). Pieces carry no offsets: MMaDA needs ids
 * only. Empty pieces are dropped, as the Rust library does.
 */
interface PreTokenizer {

    /** Receives pieces; {@code atStart} is true when the piece begins at offset 0 of the text. */
    @FunctionalInterface
    interface Sink {
        void accept(String piece, boolean atStart);
    }

    void split(String text, boolean atStart, Sink sink);

    /** tokenizers' SplitDelimiterBehavior. */
    enum Behavior { REMOVED, ISOLATED, MERGED_WITH_PREVIOUS, MERGED_WITH_NEXT, CONTIGUOUS }

    /** GPT-2's pattern, used by the ByteLevel pre-tokenizer when {@code use_regex} is true. */
    Pattern GPT2_PATTERN = HfRegex.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            "ByteLevel", "pattern");

    /** Runs each pre-tokenizer on the pieces of the previous one. */
    record Sequence(List<PreTokenizer> steps) implements PreTokenizer {
        @Override
        public void split(String text, boolean atStart, Sink sink) {
            run(0, text, atStart, sink);
        }

        private void run(int k, String text, boolean atStart, Sink sink) {
            if (k == steps.size()) {
                sink.accept(text, atStart);
            } else {
                steps.get(k).split(text, atStart, (p, s) -> run(k + 1, p, s, sink));
            }
        }
    }

    /** {@code Split}: regex or literal matches, arranged by the behaviour, optionally inverted. */
    record Split(Pattern pattern, Behavior behavior, boolean invert) implements PreTokenizer {
        @Override
        public void split(String text, boolean atStart, Sink sink) {
            if (text.isEmpty()) {
                return;
            }
            Matcher m = pattern.matcher(text);
            if (!invert && behavior == Behavior.ISOLATED) {
                // The hot path of every GPT-style tokenizer: emit matches and the gaps between them.
                int last = 0;
                while (m.find()) {
                    int s = m.start(), e = m.end();
                    if (s == e) {
                        continue;
                    }
                    if (s > last) {
                        sink.accept(text.substring(last, s), atStart && last == 0);
                    }
                    sink.accept(text.substring(s, e), atStart && s == 0);
                    last = e;
                }
                if (last < text.length()) {
                    sink.accept(last == 0 ? text : text.substring(last), atStart && last == 0);
                }
                return;
            }
            List<int[]> segs = new ArrayList<>(); // {start, end, isMatch}
            int last = 0;
            while (m.find()) {
                int s = m.start(), e = m.end();
                if (s == e) {
                    continue;
                }
                if (s > last) {
                    segs.add(new int[] {last, s, invert ? 1 : 0});
                }
                segs.add(new int[] {s, e, invert ? 0 : 1});
                last = e;
            }
            if (last < text.length()) {
                segs.add(new int[] {last, text.length(), invert ? 1 : 0});
            }
            emit(text, atStart, arrange(segs, behavior), sink);
        }
    }

    /** Applies a SplitDelimiterBehavior to segments {start, end, isMatch} (normalizer.rs `split`). */
    static List<int[]> arrange(List<int[]> segs, Behavior behavior) {
        List<int[]> out = new ArrayList<>(segs.size());
        switch (behavior) {
            case ISOLATED -> out.addAll(segs);
            case REMOVED -> {
                for (int[] s : segs) {
                    if (s[2] == 0) {
                        out.add(s);
                    }
                }
            }
            case MERGED_WITH_PREVIOUS -> {
                boolean previousMatch = false;
                for (int[] s : segs) {
                    if (s[2] == 1 && !previousMatch && !out.isEmpty()) {
                        out.getLast()[1] = s[1];
                    } else {
                        out.add(new int[] {s[0], s[1], 0});
                    }
                    previousMatch = s[2] == 1;
                }
            }
            case MERGED_WITH_NEXT -> {
                boolean previousMatch = false;
                for (int i = segs.size() - 1; i >= 0; i--) {
                    int[] s = segs.get(i);
                    if (s[2] == 1 && !previousMatch && !out.isEmpty()) {
                        out.getLast()[0] = s[0];
                    } else {
                        out.add(new int[] {s[0], s[1], 0});
                    }
                    previousMatch = s[2] == 1;
                }
                java.util.Collections.reverse(out);
            }
            case CONTIGUOUS -> {
                boolean previousMatch = false;
                for (int[] s : segs) {
                    boolean isMatch = s[2] == 1;
                    if (isMatch == previousMatch && !out.isEmpty()) {
                        out.getLast()[1] = s[1];
                    } else {
                        out.add(new int[] {s[0], s[1], 0});
                    }
                    previousMatch = isMatch;
                }
            }
        }
        return out;
    }

    static void emit(String text, boolean atStart, List<int[]> segs, Sink sink) {
        for (int[] s : segs) {
            if (s[1] > s[0]) {
                sink.accept(text.substring(s[0], s[1]), atStart && s[0] == 0);
            }
        }
    }

    /**
     * {@code ByteLevel}: optional leading space, optional GPT-2 split, then every piece's UTF-8 bytes
     * become alphabet characters ({@link ByteLevelAlphabet}).
     */
    record ByteLevel(boolean addPrefixSpace, boolean useRegex) implements PreTokenizer {
        @Override
        public void split(String text, boolean atStart, Sink sink) {
            String t = addPrefixSpace && !text.startsWith(" ") ? " " + text : text;
            if (useRegex) {
                new Split(GPT2_PATTERN, Behavior.ISOLATED, false).split(t, atStart,
                        (p, s) -> sink.accept(ByteLevelAlphabet.encode(p), s));
            } else if (!t.isEmpty()) {
                sink.accept(ByteLevelAlphabet.encode(t), atStart);
            }
        }
    }

    /** {@code Digits}: each digit alone, or runs of digits (Rust's char::is_numeric = \p{N}). */
    record Digits(boolean individualDigits) implements PreTokenizer {
        @Override
        public void split(String text, boolean atStart, Sink sink) {
            // Each digit is a match of its own; the text between digits is one non-match.
            List<int[]> segs = new ArrayList<>();
            int i = 0, last = 0;
            while (i < text.length()) {
                int cp = text.codePointAt(i);
                int n = Character.charCount(cp);
                if (isNumeric(cp)) {
                    if (i > last) {
                        segs.add(new int[] {last, i, 0});
                    }
                    segs.add(new int[] {i, i + n, 1});
                    last = i + n;
                }
                i += n;
            }
            if (last < text.length()) {
                segs.add(new int[] {last, text.length(), 0});
            }
            emit(text, atStart, arrange(segs, individualDigits ? Behavior.ISOLATED : Behavior.CONTIGUOUS), sink);
        }

        private static boolean isNumeric(int cp) {
            int t = Character.getType(cp);
            return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
        }
    }

    /** {@code Metaspace}: spaces become the replacement character, which then starts each piece. */
    record Metaspace(char replacement, String prependScheme, boolean split) implements PreTokenizer {
        @Override
        public void split(String text, boolean atStart, Sink sink) {
            String t = text.replace(' ', replacement);
            boolean prepend = switch (prependScheme) {
                case "always" -> true;
                case "first" -> atStart;
                default -> false;
            };
            if (prepend && !t.isEmpty() && t.charAt(0) != replacement) {
                t = replacement + t;
            }
            if (!split) {
                if (!t.isEmpty()) {
                    sink.accept(t, atStart);
                }
                return;
            }
            List<int[]> segs = new ArrayList<>();
            int last = 0;
            for (int i = 0; i < t.length(); i++) {
                if (t.charAt(i) == replacement) {
                    if (i > last) {
                        segs.add(new int[] {last, i, 0});
                    }
                    segs.add(new int[] {i, i + 1, 1});
                    last = i + 1;
                }
            }
            if (last < t.length()) {
                segs.add(new int[] {last, t.length(), 0});
            }
            emit(t, atStart, arrange(segs, Behavior.MERGED_WITH_NEXT), sink);
        }
    }
}
