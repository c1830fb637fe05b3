package org.mmada4j.text;

import java.util.Arrays;

/**
 * Merge rules of a BPE model: (left id, right id) to rank and merged id, in one open-addressing
 * table of primitive longs (a boxed HashMap would dominate encoding time).
 */
final class MergeTable {
    private static final long EMPTY = -1L;
    private final long[] keys;
    private final int[] ranks;
    private final int[] mergedIds;
    private final int mask;

    MergeTable(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[cap];
        Arrays.fill(keys, EMPTY);
        ranks = new int[cap];
        mergedIds = new int[cap];
        mask = cap - 1;
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private int slot(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29)) & mask;
    }

    /** Adds or replaces a rule (the Rust library collects merges into a map: a later duplicate wins). */
    void put(int left, int right, int rank, int mergedId) {
        long k = key(left, right);
        int i = slot(k);
        while (keys[i] != EMPTY && keys[i] != k) {
            i = (i + 1) & mask;
        }
        keys[i] = k;
        ranks[i] = rank;
        mergedIds[i] = mergedId;
    }

    /** Slot of the rule for (left, right), or -1. */
    int find(int left, int right) {
        long k = key(left, right);
        int i = slot(k);
        while (true) {
            long kk = keys[i];
            if (kk == k) {
                return i;
            }
            if (kk == EMPTY) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    int rank(int slot) {
        return ranks[slot];
    }

    int mergedId(int slot) {
        return mergedIds[slot];
    }
}
