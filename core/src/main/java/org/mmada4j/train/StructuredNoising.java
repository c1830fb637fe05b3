package org.mmada4j.train;

/**
 * UniGRPO's structured noising of rollouts (MMaDA paper §3.3): the answer of each row is a span
 * [start, end) — everything after the prompt for text and mmu answers, the image tokens between
 * {@code <|soi|>} and {@code <|eoi|>} for text-to-image — and everything outside it is prompt, never
 * masked. The span's tokens are masked independently with probability {@code ratio} (at least one is
 * masked, so every response contributes). The d1-style variant (to compare against) masks the whole
 * span and the tokens outside it with probability {@code promptRatio} instead.
 */
public final class StructuredNoising {
    private StructuredNoising() {
    }

    /** Noised rows and the loss positions (masked answer tokens). */
    public record Noised(int[] ids, boolean[] lossPositions) {
    }

    /** The answer of one row: positions [start, end). */
    public record Span(int start, int end) {
        public Span {
            if (start < 0 || end < start) {
                throw new IllegalArgumentException("answer span [" + start + ", " + end + ") is not a range");
            }
        }

        int length() {
            return end - start;
        }

        /** The same span [promptLength, length) for every row (text answers after a common prompt). */
        public static Span[] after(int promptLength, int[][] sequences) {
            Span[] s = new Span[sequences.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = new Span(promptLength, sequences[i].length);
            }
            return s;
        }
    }

    /**
     * @param sequences [N][L] prompt + response
     * @param promptLength answer positions are [promptLength, L)
     */
    public static Noised uniGrpo(int[][] sequences, int promptLength, float ratio, int maskId, RandomSource rng) {
        return uniGrpo(sequences, Span.after(promptLength, sequences), ratio, maskId, rng);
    }

    /** @param spans [N] each row's answer span; positions outside it are never masked */
    public static Noised uniGrpo(int[][] sequences, Span[] spans, float ratio, int maskId, RandomSource rng) {
        int n = sequences.length;
        int len = checkSpans(sequences, spans);
        int[] ids = new int[n * len];
        boolean[] pos = new boolean[n * len];
        for (int i = 0; i < n; i++) {
            System.arraycopy(sequences[i], 0, ids, i * len, len);
            Span s = spans[i];
            int masked = 0;
            for (int j = s.start(); j < s.end(); j++) {
                if (rng.nextFloat() < ratio) {
                    ids[i * len + j] = maskId;
                    pos[i * len + j] = true;
                    masked++;
                }
            }
            if (masked == 0 && s.length() > 0) {
                int j = s.start() + (int) Math.min(s.length() - 1, Math.floor(rng.nextFloat() * s.length()));
                ids[i * len + j] = maskId;
                pos[i * len + j] = true;
            }
        }
        return new Noised(ids, pos);
    }

    /** d1 (Zhao et al. 2025): answer fully masked, prompt tokens masked with {@code promptRatio}. */
    public static Noised d1(int[][] sequences, int promptLength, float promptRatio, int maskId, RandomSource rng) {
        return d1(sequences, Span.after(promptLength, sequences), promptRatio, maskId, rng);
    }

    /** d1 over answer spans: each span fully masked, the tokens outside it masked with {@code promptRatio}. */
    public static Noised d1(int[][] sequences, Span[] spans, float promptRatio, int maskId, RandomSource rng) {
        int n = sequences.length;
        int len = checkSpans(sequences, spans);
        int[] ids = new int[n * len];
        boolean[] pos = new boolean[n * len];
        for (int i = 0; i < n; i++) {
            System.arraycopy(sequences[i], 0, ids, i * len, len);
            Span s = spans[i];
            for (int j = 0; j < len; j++) {
                if ((j < s.start() || j >= s.end()) && rng.nextFloat() < promptRatio) {
                    ids[i * len + j] = maskId;
                }
            }
            for (int j = s.start(); j < s.end(); j++) {
                ids[i * len + j] = maskId;
                pos[i * len + j] = true;
            }
        }
        return new Noised(ids, pos);
    }

    private static int checkSpans(int[][] sequences, Span[] spans) {
        if (spans.length != sequences.length) {
            throw new IllegalArgumentException(spans.length + " answer spans for " + sequences.length + " rows");
        }
        int len = sequences[0].length;
        for (int i = 0; i < sequences.length; i++) {
            if (sequences[i].length != len) {
                throw new IllegalArgumentException("row " + i + " has length " + sequences[i].length + ", row 0 " + len);
            }
            if (spans[i].end() > len) {
                throw new IllegalArgumentException("answer span [" + spans[i].start() + ", " + spans[i].end()
                        + ") of row " + i + " exceeds its length " + len);
            }
        }
        return len;
    }
}
