package org.mmada4j.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code added_tokens} of a {@code tokenizer.json} (tokenizers' added_vocabulary.rs). They are
 * found in the text before anything else happens: tokens with {@code normalized: false} in the raw
 * text, the others in the normalized text; matching is leftmost-longest, then {@code single_word},
 * {@code lstrip} and {@code rstrip} adjust each match. The {@code special} flag matters only when
 * decoding.
 */
final class AddedTokens {

    record Token(int id, String content, boolean special, boolean singleWord, boolean lstrip, boolean rstrip,
                 boolean normalized) {}

    /** Receives the text between matches ({@code id} = -1) and the matched tokens. */
    @FunctionalInterface
    interface Sink {
        void accept(String text, int id);
    }

    private final Map<Integer, Token> byId = new HashMap<>();
    private final Map<String, Token> byContent = new HashMap<>();
    private final Matcher raw;
    private final Matcher normalized;

    AddedTokens(List<Token> tokens, Normalizer normalizer) {
        List<Token> rawTokens = new ArrayList<>();
        List<Token> normTokens = new ArrayList<>();
        List<String> normContents = new ArrayList<>();
        for (Token t : tokens) {
            byId.put(t.id, t);
            byContent.put(t.content, t);
            if (t.content.isEmpty()) {
                continue;
            }
            if (t.normalized && normalizer != null) {
                normTokens.add(t);
                normContents.add(normalizer.normalize(t.content));
            } else if (t.normalized) {
                normTokens.add(t);
                normContents.add(t.content);
            } else {
                rawTokens.add(t);
            }
        }
        raw = new Matcher(rawTokens, rawTokens.stream().map(Token::content).toList());
        normalized = new Matcher(normTokens, normContents);
    }

    boolean isEmpty() {
        return byId.isEmpty();
    }

    Token byId(int id) {
        return byId.get(id);
    }

    Token byContent(String content) {
        return byContent.get(content);
    }

    int maxId() {
        return byId.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
    }

    void splitRaw(String text, Sink sink) {
        raw.split(text, sink);
    }

    void splitNormalized(String text, Sink sink) {
        normalized.split(text, sink);
    }

    /** Leftmost-longest matching of a fixed set of strings, indexed by first char. */
    private static final class Matcher {
        private final Map<Character, List<int[]>> byFirst = new HashMap<>(); // {token index}
        private final List<Token> tokens;
        private final List<String> contents;

        Matcher(List<Token> tokens, List<String> contents) {
            this.tokens = tokens;
            this.contents = contents;
            for (int i = 0; i < tokens.size(); i++) {
                if (!contents.get(i).isEmpty()) {
                    byFirst.computeIfAbsent(contents.get(i).charAt(0), k -> new ArrayList<>()).add(new int[] {i});
                }
            }
            for (List<int[]> l : byFirst.values()) {
                l.sort(Comparator.comparingInt((int[] a) -> -contents.get(a[0]).length()));
            }
        }

        void split(String s, Sink sink) {
            if (byFirst.isEmpty()) {
                sink.accept(s, -1);
                return;
            }
            int startOffset = 0;
            int i = 0;
            while (i < s.length()) {
                List<int[]> cands = byFirst.get(s.charAt(i));
                int hit = -1;
                if (cands != null) {
                    for (int[] c : cands) {
                        if (s.startsWith(contents.get(c[0]), i)) {
                            hit = c[0];
                            break;
                        }
                    }
                }
                if (hit < 0) {
                    i++;
                    continue;
                }
                Token t = tokens.get(hit);
                int start = i, stop = i + contents.get(hit).length();
                i = stop; // the automaton resumes after the raw match
                if (t.singleWord) {
                    boolean startSpace = start == 0 || !isWordChar(s.codePointBefore(start));
                    boolean stopSpace = stop == s.length() || !isWordChar(s.codePointAt(stop));
                    if (!startSpace || !stopSpace) {
                        continue;
                    }
                }
                if (t.lstrip) {
                    int ns = start;
                    while (ns > 0 && Normalizer.isWhitespace(s.codePointBefore(ns))) {
                        ns -= Character.charCount(s.codePointBefore(ns));
                    }
                    start = Math.max(ns, startOffset);
                }
                if (t.rstrip) {
                    while (stop < s.length() && Normalizer.isWhitespace(s.codePointAt(stop))) {
                        stop += Character.charCount(s.codePointAt(stop));
                    }
                }
                if (startOffset < start) {
                    sink.accept(s.substring(startOffset, start), -1);
                }
                sink.accept(s.substring(start, stop), t.id);
                startOffset = stop;
            }
            if (startOffset < s.length()) {
                sink.accept(startOffset == 0 ? s : s.substring(startOffset), -1);
            }
        }

        /** The Rust regex crate's Unicode \\w (used by added_vocabulary.rs): Alphabetic, marks, Nd, Pc, Join_Control. */
        private static boolean isWordChar(int cp) {
            int t = Character.getType(cp);
            return Character.isAlphabetic(cp) || Normalizer.isMark(cp) || t == Character.DECIMAL_DIGIT_NUMBER
                    || t == Character.CONNECTOR_PUNCTUATION || cp == 0x200C || cp == 0x200D;
        }
    }
}
