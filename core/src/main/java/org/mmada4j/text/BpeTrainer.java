package org.mmada4j.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trains a byte-level BPE tokenizer and writes it as a {@code tokenizer.json} that the Hugging Face
 * library loads (the layout of {@link TokenizerJsonWriter}). As tokenizers' BpeTrainer: text is cut
 * by the split regex, each piece becomes its UTF-8 bytes, and the most frequent adjacent pair (over
 * all pieces, weighted by piece count) is merged until the vocabulary is full or the best pair is
 * rarer than {@code minFrequency}. Ids: special tokens first, then the 256 bytes in byte order, then
 * merged tokens in merge order. Ties are broken by the smaller (left id, right id), so training is
 * deterministic.
 */
public final class BpeTrainer {
    /** Llama-3's split pattern: letters, up to 3 digits, punctuation runs, newlines, spaces. */
    public static final String GPT_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    /** The same with single digits (each digit its own piece, hence its own token). */
    public static final String GPT_SPLIT_DIGITS = GPT_SPLIT.replace("\\p{N}{1,3}", "\\p{N}");

    /**
     * @param vocabSize     total ids, special tokens and the 256 bytes included
     * @param specialTokens added special tokens (never split, never learned from)
     * @param minFrequency  a pair seen fewer times than this is not merged
     * @param splitDigits   digits stay single tokens
     * @param splitRegex    Oniguruma-syntax split pattern; null = the GPT pattern chosen by splitDigits
     */
    public record Options(int vocabSize, List<String> specialTokens, int minFrequency, boolean splitDigits,
                          String splitRegex) {
        public Options {
            if (vocabSize < 256 + specialTokens.size()) {
                throw new IllegalArgumentException("vocabSize " + vocabSize + " is smaller than 256 bytes + "
                        + specialTokens.size() + " special tokens");
            }
            if (minFrequency < 1) {
                throw new IllegalArgumentException("minFrequency must be >= 1, got " + minFrequency);
            }
        }

        String regex() {
            return splitRegex != null ? splitRegex : splitDigits ? GPT_SPLIT_DIGITS : GPT_SPLIT;
        }
    }

    private BpeTrainer() {}

    /** Trains on {@code texts} and returns the {@code tokenizer.json} text. */
    public static String train(Iterable<String> texts, Options o) {
        Pattern split = HfRegex.compile(o.regex(), "BpeTrainer", "splitRegex");
        Map<String, Integer> vocab = new LinkedHashMap<>();
        List<String> idToToken = new ArrayList<>();
        List<TokenizerJsonWriter.Special> specials = new ArrayList<>();
        for (String s : o.specialTokens()) {
            specials.add(new TokenizerJsonWriter.Special(s, idToToken.size()));
            vocab.put(s, idToToken.size());
            idToToken.add(s);
        }
        int byteBase = idToToken.size();
        for (int b = 0; b < 256; b++) {
            String t = String.valueOf(ByteLevelAlphabet.BYTE_TO_CHAR[b]);
            vocab.put(t, idToToken.size());
            idToToken.add(t);
        }

        // Piece counts (pieces as byte-level strings).
        Map<String, long[]> counts = new HashMap<>();
        for (String text : texts) {
            for (String part : withoutSpecials(text, o.specialTokens())) {
                Matcher m = split.matcher(part);
                int last = 0;
                while (m.find()) {
                    if (m.start() > last) {
                        count(counts, part.substring(last, m.start()));
                    }
                    if (m.end() > m.start()) {
                        count(counts, part.substring(m.start(), m.end()));
                    }
                    last = m.end();
                }
                if (last < part.length()) {
                    count(counts, part.substring(last));
                }
            }
        }
        int n = counts.size();
        int[][] words = new int[n][];
        long[] freq = new long[n];
        int w = 0;
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            String s = e.getKey();
            words[w] = new int[s.length()];
            for (int i = 0; i < s.length(); i++) {
                words[w][i] = byteBase + ByteLevelAlphabet.byteOf(s.charAt(i));
            }
            freq[w++] = e.getValue()[0];
        }

        Map<Long, long[]> pairCount = new HashMap<>();
        Map<Long, Set<Integer>> where = new HashMap<>();
        for (int i = 0; i < n; i++) {
            addPairs(words[i], freq[i], i, pairCount, where);
        }
        // Max-heap of (count, pair); stale entries are re-checked against pairCount when popped.
        PriorityQueue<long[]> heap = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(b[0], a[0]) : Long.compare(a[1], b[1]));
        pairCount.forEach((p, c) -> heap.add(new long[] {c[0], p}));

        List<String[]> merges = new ArrayList<>();
        while (vocab.size() < o.vocabSize() && !heap.isEmpty()) {
            long[] top = heap.poll();
            long pair = top[1];
            long[] current = pairCount.get(pair);
            long c = current == null ? 0 : current[0];
            if (c != top[0]) {
                if (c > 0) {
                    heap.add(new long[] {c, pair});
                }
                continue;
            }
            if (c < o.minFrequency()) {
                break;
            }
            int a = (int) (pair >>> 32), b = (int) pair;
            String merged = idToToken.get(a) + idToToken.get(b);
            Integer id = vocab.get(merged);
            if (id == null) {
                id = idToToken.size();
                vocab.put(merged, id);
                idToToken.add(merged);
            }
            merges.add(new String[] {idToToken.get(a), idToToken.get(b)});
            Set<Long> touched = new HashSet<>();
            for (int wi : new ArrayList<>(where.getOrDefault(pair, Set.of()))) {
                removePairs(words[wi], freq[wi], wi, pairCount, where, touched);
                words[wi] = apply(words[wi], a, b, id);
                addPairs(words[wi], freq[wi], wi, pairCount, where);
                collectPairs(words[wi], touched);
            }
            for (long p : touched) {
                long[] pc = pairCount.get(p);
                if (pc != null && pc[0] > 0) {
                    heap.add(new long[] {pc[0], p});
                }
            }
        }
        return TokenizerJsonWriter.toJson(vocab, merges, specials, o.regex());
    }

    private static void count(Map<String, long[]> counts, String piece) {
        counts.computeIfAbsent(ByteLevelAlphabet.encode(piece), k -> new long[1])[0]++;
    }

    /** The text between occurrences of special tokens (which are never learned from). */
    private static List<String> withoutSpecials(String text, List<String> specials) {
        List<String> parts = new ArrayList<>();
        parts.add(text);
        for (String s : specials) {
            if (s.isEmpty()) {
                continue;
            }
            List<String> next = new ArrayList<>();
            for (String p : parts) {
                int from = 0, at;
                while ((at = p.indexOf(s, from)) >= 0) {
                    next.add(p.substring(from, at));
                    from = at + s.length();
                }
                next.add(p.substring(from));
            }
            parts = next;
        }
        return parts;
    }

    private static long key(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    private static void addPairs(int[] w, long f, int wi, Map<Long, long[]> pairCount, Map<Long, Set<Integer>> where) {
        for (int i = 0; i + 1 < w.length; i++) {
            long k = key(w[i], w[i + 1]);
            pairCount.computeIfAbsent(k, x -> new long[1])[0] += f;
            where.computeIfAbsent(k, x -> new HashSet<>()).add(wi);
        }
    }

    private static void removePairs(int[] w, long f, int wi, Map<Long, long[]> pairCount, Map<Long, Set<Integer>> where,
                                    Set<Long> touched) {
        for (int i = 0; i + 1 < w.length; i++) {
            long k = key(w[i], w[i + 1]);
            long[] c = pairCount.get(k);
            c[0] -= f;
            if (c[0] == 0) {
                pairCount.remove(k);
            }
            Set<Integer> s = where.get(k);
            if (s != null) {
                s.remove(wi);
                if (s.isEmpty()) {
                    where.remove(k);
                }
            }
            touched.add(k);
        }
    }

    private static void collectPairs(int[] w, Set<Long> touched) {
        for (int i = 0; i + 1 < w.length; i++) {
            touched.add(key(w[i], w[i + 1]));
        }
    }

    /** Replaces each non-overlapping (a, b), left to right, by {@code id}. */
    private static int[] apply(int[] w, int a, int b, int id) {
        int[] out = new int[w.length];
        int k = 0;
        for (int i = 0; i < w.length; i++) {
            if (i + 1 < w.length && w[i] == a && w[i + 1] == b) {
                out[k++] = id;
                i++;
            } else {
                out[k++] = w[i];
            }
        }
        return java.util.Arrays.copyOf(out, k);
    }
}
