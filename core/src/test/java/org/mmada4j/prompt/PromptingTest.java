package org.mmada4j.prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Layout rules that the tiny golden set does not reach: truncation, r2i, chat rendering. */
class PromptingTest {
    private final SpecialTokens tok = new SpecialTokens(256, 257, 257, 288, 260, 261, 262, 263, 264, 265, 266, 267, 268,
            269, 270, 290, 291, 292, 293, 64, 4, 384);
    private final Prompting p = new Prompting(tok);

    @Test
    void t2iTextLongerThanTheAreaIsCutAndEndsInEos() {
        TaskSequence s = p.t2iGen(new int[] {1, 2, 3, 4, 5, 6}, 4, 4);
        // core = t2i BOS 1..6 EOS (9) > T+1 = 5: core[:4] + EOS
        assertArrayEquals(new int[] {264, 256, 1, 2, 257, 260, 288, 288, 288, 288, 261}, s.ids());
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, s.attentionMask());
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1}, s.promptMask());
    }

    @Test
    void t2iExactFitHasNoPadding() {
        TaskSequence s = p.t2iGen(new int[] {7, 8}, 4, 4);
        assertArrayEquals(new int[] {264, 256, 7, 8, 257, 260, 288, 288, 288, 288, 261}, s.ids());
    }

    @Test
    void mmuTrainTextIsCutToTMinusOnePlusEos() {
        TaskSequence s = p.mmu(new int[] {293, 294}, new int[] {1, 290, 2, 291, 3, 4, 5}, 5);
        assertArrayEquals(new int[] {265, 260, 293, 294, 261, 256, 1, 290, 2, 257}, s.ids());
        // no end header survives the cut: prompt = image part only
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 0, 0, 0, 0, 0}, s.promptMask());
        assertArrayEquals(new int[] {-100, -100, -100, -100, -100, 256, 1, 290, 2, 257}, s.labels());
    }

    @Test
    void lmIsCutWithoutEos() {
        assertArrayEquals(new int[] {256, 1, 2}, p.lm(new int[] {1, 2, 3}, 3).ids());
        assertArrayEquals(new int[] {256, 1, 257, 257}, p.lm(new int[] {1}, 4).ids());
    }

    @Test
    void r2iPromptIsTaskTokenTextThroughLastHeaderAndImageFrame() {
        TaskSequence s = p.r2i(new int[] {290, 9, 291, 10, 11}, new int[] {288, 288}, new int[] {300, 301}, 8);
        assertArrayEquals(new int[] {270, 256, 290, 9, 291, 10, 11, 257, 257, 260, 288, 288, 261}, s.ids());
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 1}, s.promptMask());
        assertArrayEquals(new int[] {-100, -100, -100, -100, -100, 10, 11, 257, 257, -100, 300, 301, -100}, s.labels());
    }

    @Test
    void chatTemplateUsesSingleNewlineAndStripsContent() {
        assertEquals("<|start_header_id|>user<|end_header_id|>\nHi<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n",
                ChatTemplate.render(List.of(ChatTemplate.Message.user("  Hi \n")), true));
        assertThrows(IllegalArgumentException.class, () -> ChatTemplate.encodeQuestion(null, tok, "  ", false));
    }

    @Test
    void imageCodesOutsideTheCodebookAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> p.imageTokens(new int[] {0, 64}));
        assertEquals("image code 64 outside [0, 64)", e.getMessage());
    }
}
