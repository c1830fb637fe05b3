package org.mmada4j.text;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The BPE {@code model} of a {@code tokenizer.json} (tokenizers' models/bpe/model.rs and word.rs):
 * a piece becomes its characters' ids, then the lowest-ranked adjacent pair is merged (leftmost on
 * ties) until no rule applies. Results are cached per piece; the cache is a concurrent map, so the
 * model is thread-safe.
 */
final class BpeModel {
    /** Pieces cached at most; past it the cache stops growing (as the Rust library's does). */
    private static final int CACHE_CAPACITY = 200_000;
    private static final int[] EMPTY = new int[0];

    private final Map<String, Integer> vocab;
    private final String[] idToToken;
    private final MergeTable merges;
    private final boolean ignoreMerges;
    private final boolean byteFallback;
    private final boolean fuseUnk;
    private final Integer unkId;
    private final String prefix; // continuing_subword_prefix, "" when none
    private final String suffix; // end_of_word_suffix, "" when none
    /** Id of each single-char token below U+0400 (covers the byte-level alphabet), -1 when absent. */
    private final int[] charIds = new int[0x400];
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    BpeModel(Map<String, Integer> vocab, String[] idToToken, MergeTable merges, boolean ignoreMerges,
             boolean byteFallback, boolean fuseUnk, Integer unkId, String prefix, String suffix) {
        this.vocab = vocab;
        this.idToToken = idToToken;
        this.merges = merges;
        this.ignoreMerges = ignoreMerges;
        this.byteFallback = byteFallback;
        this.fuseUnk = fuseUnk;
        this.unkId = unkId;
        this.prefix = prefix;
        this.suffix = suffix;
        Arrays.fill(charIds, -1);
        if (prefix.isEmpty() && suffix.isEmpty()) {
            for (char c = 0; c < charIds.length; c++) {
                Integer id = vocab.get(String.valueOf(c));
                if (id != null) {
                    charIds[c] = id;
                }
            }
        }
    }

    /** Token string of a model id, or null. */
    String token(int id) {
        return id >= 0 && id < idToToken.length ? idToToken[id] : null;
    }

    Integer id(String token) {
        return vocab.get(token);
    }

    int vocabSize() {
        return vocab.size();
    }

    int maxId() {
        return idToToken.length - 1;
    }

    /** Appends the ids of one pre-tokenized piece. */
    void encode(String piece, IntList out) {
        if (piece.isEmpty()) {
            return;
        }
        int[] ids = cache.get(piece);
        if (ids == null) {
            ids = compute(piece);
            if (cache.size() < CACHE_CAPACITY) {
                cache.put(piece, ids);
            }
        }
        out.addAll(ids);
    }

    private int[] compute(String piece) {
        if (ignoreMerges) {
            Integer id = vocab.get(piece);
            if (id != null) {
                return new int[] {id};
            }
        }
        IntList symbols = initialSymbols(piece);
        if (symbols.size() == 0) {
            return EMPTY;
        }
        return mergeAll(symbols.toArray());
    }

    /** One id per character (word.rs `merge_word`), with byte fallback and unk handling. */
    private IntList initialSymbols(String w) {
        IntList ids = new IntList(w.length());
        int unk = -1; // pending unk id (fuse_unk merges consecutive unknowns)
        for (int i = 0; i < w.length(); ) {
            int cp = w.codePointAt(i);
            int n = Character.charCount(cp);
            boolean first = i == 0, last = i + n == w.length();
            int id = -1;
            String s = null;
            if (cp < charIds.length && prefix.isEmpty() && suffix.isEmpty()) {
                id = charIds[cp];
            } else {
                s = w.substring(i, i + n);
                if (!first) {
                    s = prefix + s;
                }
                if (last) {
                    s = s + suffix;
                }
                Integer v = vocab.get(s);
                id = v == null ? -1 : v;
            }
            i += n;
            if (id >= 0) {
                if (unk >= 0) {
                    ids.add(unk);
                    unk = -1;
                }
                ids.add(id);
                continue;
            }
            if (s == null) {
                s = new String(Character.toChars(cp));
                if (!first) {
                    s = prefix + s;
                }
                if (last) {
                    s = s + suffix;
                }
            }
            if (byteFallback) {
                byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                int[] fb = new int[bytes.length];
                boolean all = true;
                for (int k = 0; k < bytes.length && all; k++) {
                    Integer b = vocab.get(String.format("<0x%02X>", bytes[k] & 0xFF));
                    all = b != null;
                    fb[k] = all ? b : -1;
                }
                if (all) {
                    // word.rs adds the pending unk only before known tokens, not before fallback bytes.
                    ids.addAll(fb);
                    continue;
                }
            }
            if (unkId != null) {
                if (unk >= 0 && !fuseUnk) {
                    ids.add(unk);
                }
                unk = unkId;
            }
            // Without unk_token the character is dropped, as the Rust library does.
        }
        if (unk >= 0) {
            ids.add(unk);
        }
        return ids;
    }

    /**
     * word.rs `merge_all`: a min-heap of (rank, position) over a linked list of symbols; stale
     * entries (a side already merged away) are skipped when popped.
     */
    private int[] mergeAll(int[] sym) {
        int n = sym.length;
        if (n == 1) {
            return sym;
        }
        int[] next = new int[n];
        int[] prev = new int[n];
        boolean[] dead = new boolean[n];
        LongHeap heap = new LongHeap(n);
        for (int i = 0; i < n; i++) {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        for (int i = 0; i + 1 < n; i++) {
            int slot = merges.find(sym[i], sym[i + 1]);
            if (slot >= 0) {
                heap.push(((long) merges.rank(slot) << 32) | i);
            }
        }
        int alive = n;
        while (!heap.isEmpty()) {
            long top = heap.pop();
            int rank = (int) (top >>> 32);
            int pos = (int) top;
            if (dead[pos] || next[pos] < 0) {
                continue;
            }
            int right = next[pos];
            int slot = merges.find(sym[pos], sym[right]);
            if (slot < 0 || merges.rank(slot) != rank) {
                continue;
            }
            sym[pos] = merges.mergedId(slot);
            dead[right] = true;
            alive--;
            next[pos] = next[right];
            if (next[pos] >= 0) {
                prev[next[pos]] = pos;
            }
            if (prev[pos] >= 0) {
                int s = merges.find(sym[prev[pos]], sym[pos]);
                if (s >= 0) {
                    heap.push(((long) merges.rank(s) << 32) | prev[pos]);
                }
            }
            if (next[pos] >= 0) {
                int s = merges.find(sym[pos], sym[next[pos]]);
                if (s >= 0) {
                    heap.push(((long) merges.rank(s) << 32) | pos);
                }
            }
        }
        int[] out = new int[alive];
        int k = 0;
        for (int i = 0; i >= 0; i = next[i]) {
            out[k++] = sym[i];
        }
        return out;
    }

    /** Binary min-heap of longs. */
    private static final class LongHeap {
        private long[] a;
        private int size;

        LongHeap(int cap) {
            a = new long[Math.max(4, cap)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(long v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int p = (i - 1) >>> 1;
                if (a[p] <= v) {
                    break;
                }
                a[i] = a[p];
                i = p;
            }
            a[i] = v;
        }

        long pop() {
            long top = a[0];
            long v = a[--size];
            int i = 0;
            while (true) {
                int c = 2 * i + 1;
                if (c >= size) {
                    break;
                }
                if (c + 1 < size && a[c + 1] < a[c]) {
                    c++;
                }
                if (a[c] >= v) {
                    break;
                }
                a[i] = a[c];
                i = c;
            }
            a[i] = v;
            return top;
        }
    }
}
