package org.mmada4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** UniGRPO's noising over answer spans: outside the span never masked, the ratio respected. */
class StructuredNoisingTest {
    static final int MASK = -1;

    /** Rows of distinct ids with a t2i-like answer in the middle: prefix, span, suffix. */
    static int[][] rows(int n, int len) {
        int[][] s = new int[n][len];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < len; j++) {
                s[i][j] = 1000 * i + j;
            }
        }
        return s;
    }

    @Test
    void onlySpanTokensAreMaskedAndTheRatioHolds() {
        int n = 6;
        int len = 2000;
        int[][] seqs = rows(n, len);
        StructuredNoising.Span[] spans = new StructuredNoising.Span[n];
        for (int i = 0; i < n; i++) {
            spans[i] = new StructuredNoising.Span(100 + 7 * i, len - 3 - i); // per-row spans, prompt on both sides
        }
        for (float ratio : new float[] {0.1f, 0.5f, 0.9f}) {
            StructuredNoising.Noised x = StructuredNoising.uniGrpo(seqs, spans, ratio, MASK, new SeededRandom(17));
            for (int i = 0; i < n; i++) {
                int masked = 0;
                int spanLen = spans[i].end() - spans[i].start();
                for (int j = 0; j < len; j++) {
                    boolean m = x.ids()[i * len + j] == MASK;
                    boolean inSpan = j >= spans[i].start() && j < spans[i].end();
                    assertEquals(m, x.lossPositions()[i * len + j], "loss positions = masked positions");
                    if (!inSpan) {
                        assertFalse(m, "row " + i + " position " + j + " outside the span was masked");
                        assertEquals(seqs[i][j], x.ids()[i * len + j]);
                    }
                    masked += m ? 1 : 0;
                }
                double frac = (double) masked / spanLen;
                double sd = Math.sqrt(ratio * (1 - ratio) / spanLen);
                assertTrue(Math.abs(frac - ratio) < 5 * sd, "ratio " + ratio + ": masked fraction " + frac + " (row " + i + ")");
            }
        }
    }

    @Test
    void aTinyRatioStillMasksOneSpanTokenAndD1MasksTheWholeSpan() {
        int[][] seqs = rows(3, 12);
        StructuredNoising.Span[] spans = {new StructuredNoising.Span(2, 5), new StructuredNoising.Span(4, 10),
                new StructuredNoising.Span(0, 12)};
        StructuredNoising.Noised x = StructuredNoising.uniGrpo(seqs, spans, 1e-6f, MASK, new SeededRandom(5));
        for (int i = 0; i < 3; i++) {
            int masked = 0;
            for (int j = 0; j < 12; j++) {
                if (x.ids()[i * 12 + j] == MASK) {
                    masked++;
                    assertTrue(j >= spans[i].start() && j < spans[i].end(), "row " + i + " masked " + j);
                }
            }
            assertEquals(1, masked, "row " + i);
        }
        StructuredNoising.Noised d1 = StructuredNoising.d1(seqs, spans, 0f, MASK, new SeededRandom(5));
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 12; j++) {
                boolean inSpan = j >= spans[i].start() && j < spans[i].end();
                assertEquals(inSpan, d1.ids()[i * 12 + j] == MASK);
                assertEquals(inSpan, d1.lossPositions()[i * 12 + j]);
            }
        }
    }

    @Test
    void theTextFormIsTheSpanAfterThePrompt() {
        int[][] seqs = rows(4, 40);
        StructuredNoising.Noised a = StructuredNoising.uniGrpo(seqs, 9, 0.4f, MASK, new SeededRandom(8));
        StructuredNoising.Noised b = StructuredNoising.uniGrpo(seqs, StructuredNoising.Span.after(9, seqs), 0.4f, MASK,
                new SeededRandom(8));
        assertEquals(java.util.Arrays.toString(a.ids()), java.util.Arrays.toString(b.ids()));
    }

    @Test
    void spansOutsideTheRowAreRejected() {
        int[][] seqs = rows(2, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StructuredNoising.uniGrpo(seqs,
                new StructuredNoising.Span[] {new StructuredNoising.Span(2, 8), new StructuredNoising.Span(2, 9)}, 0.5f,
                MASK, new SeededRandom(1)));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StructuredNoising.Span(5, 4));
        assertThrows(IllegalArgumentException.class, () -> StructuredNoising.uniGrpo(seqs,
                new StructuredNoising.Span[] {new StructuredNoising.Span(2, 8)}, 0.5f, MASK, new SeededRandom(1)));
    }
}
