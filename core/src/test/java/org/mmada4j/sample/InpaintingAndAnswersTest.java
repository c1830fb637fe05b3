package org.mmada4j.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.mmada4j.prompt.ByteStandInTokenizer;
import org.mmada4j.prompt.GoldenTokens;
import org.mmada4j.prompt.Prompting;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.prompt.TaskSequence;
import org.mmada4j.testing.GoldenSet;

class InpaintingAndAnswersTest {
    private final GoldenSet g = GoldenSet.tiny(); // the edits below (9 codes, byte 65, grid[10]) are tiny's
    private final SpecialTokens tok = GoldenTokens.of(g);

    @Test
    void thinkingRepliesSplitAtTheClosingTag() {
        Answers.Answer a = Answers.split("<think> 12 x 3 = 36 </think> 36 km");
        assertEquals("12 x 3 = 36", a.thinking());
        assertEquals("36 km", a.answer());
        assertEquals("", Answers.split("just text").thinking());
        assertEquals("just text", Answers.split("just text ").answer());
    }

    @Test
    void generatedIdsStopAtEndOfTextAndDropMasks() {
        int[] row = {1, 2, 97, tok.mask(), 98, tok.eos(), 99};
        assertArrayEquals(new int[] {97, 98}, Answers.generatedIds(row, 2, row.length, tok));
    }

    @Test
    void describeReproducesTheGoldenMmuAnswerAndDecodesIt() {
        ImageUnderstanding u = new ImageUnderstanding(TextSamplerParityTest.model(g), ByteStandInTokenizer.of(g), tok);
        var m = g.meta().path("mmu");
        int[] codes = g.npy("magvit_codes.npy").toInts();
        ImageUnderstanding.Result r = u.describe(codes, m.path("prompt").asText(), false,
                TextSamplingParams.greedy(m.path("max_new_tokens").asInt(), m.path("block_length").asInt(),
                        m.path("steps").asInt()), new SeededRandom(0), TextStepListener.NONE);
        assertArrayEquals(g.npy("mmu_gen_ids.npy").toInts(), r.ids());
        assertEquals(g.npy("mmu_input_ids.npy").dim(1), r.promptLength());
        var e = assertThrows(IllegalArgumentException.class, () -> u.describe(Arrays.copyOf(codes, 9), "Q", false,
                TextSamplingParams.greedy(8, 8, 8), new SeededRandom(0), TextStepListener.NONE));
        assertTrue(e.getMessage().contains("wrong image size"), e.getMessage());
        int[] think = u.prompt(codes, "Q?", true);
        assertTrue(think.length > u.prompt(codes, "Q?", false).length);
    }

    @Test
    void partialAnswerIsKeptAndItsHolesFilled() {
        ImageUnderstanding u = new ImageUnderstanding(TextSamplerParityTest.model(g), ByteStandInTokenizer.of(g), tok);
        int[] codes = g.npy("magvit_codes.npy").toInts();
        ImageUnderstanding.Result r = u.complete(codes, "Describe the image.", "A <|mdm_mask|>ed cube",
                new TextSamplingParams(8, 4, 4, 0, 0, Remasking.LOW_CONFIDENCE, OptionalInt.empty()),
                new SeededRandom(0), TextStepListener.NONE);
        int p = r.promptLength();
        assertEquals('A', r.ids()[p] - 0);
        assertNotEquals(tok.mask(), r.ids()[p + 2]);
        assertEquals('e', r.ids()[p + 3]);
        assertTrue(Arrays.stream(r.ids()).noneMatch(x -> x == tok.mask()));
    }

    @Test
    void pixelMaskReducesToTheCodeGrid() {
        float[] mask = new float[8 * 8];
        for (int y = 0; y < 4; y++) {
            for (int x = 4; x < 8; x++) {
                mask[y * 8 + x] = 1;
            }
        }
        mask[7 * 8] = 1; // a quarter of a cell: below the 0.5 threshold
        boolean[] grid = ImageInpainting.gridMask(mask, 8, 8, 8, 8, 4, 4);
        boolean[] expected = new boolean[16];
        expected[2] = expected[3] = expected[6] = expected[7] = true;
        assertArrayEquals(expected, grid);
        var e = assertThrows(IllegalArgumentException.class, () -> ImageInpainting.gridMask(mask, 8, 8, 16, 16, 4, 4));
        assertTrue(e.getMessage().contains("must match"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageInpainting.maskCodes(new int[9], grid));
    }

    @Test
    void outpaintingRightKeepsTheOriginalAndAddsHalfAWidth() {
        int[] codes = new int[16];
        for (int i = 0; i < 16; i++) {
            codes[i] = i;
        }
        ImageInpainting.Outpaint o = ImageInpainting.extend(codes, 4, 4, ImageInpainting.Side.RIGHT);
        assertEquals(4, o.canvasH());
        assertEquals(6, o.canvasW());
        // the grid to generate starts with the original's right half
        assertArrayEquals(new int[] {2, 3, -1, -1}, Arrays.copyOfRange(o.codes(), 0, 4));
        int[] gen = o.codes().clone();
        for (int i = 0; i < gen.length; i++) {
            gen[i] = gen[i] < 0 ? 50 : gen[i];
        }
        int[] canvas = o.stitch(gen);
        assertArrayEquals(new int[] {0, 1, 2, 3, 50, 50}, Arrays.copyOfRange(canvas, 0, 6));
        ImageInpainting.Outpaint top = ImageInpainting.extend(codes, 4, 4, ImageInpainting.Side.TOP);
        assertEquals(6, top.canvasH());
        assertArrayEquals(new int[] {-1, -1, -1, -1, -1, -1, -1, -1, 0, 1, 2, 3, 4, 5, 6, 7}, top.codes());
    }

    @Test
    void imageInpaintingWithTheModelChangesOnlyMaskedCodes() {
        Prompting p = new Prompting(tok);
        int[] codes = g.npy("magvit_codes.npy").toInts();
        boolean[] grid = new boolean[codes.length];
        grid[0] = grid[5] = grid[10] = true;
        int[] masked = ImageInpainting.maskCodes(codes, grid);
        int n = codes.length;
        TaskSequence c = p.t2i(ByteStandInTokenizer.of(g).encode("a red cube"),
                ImageInpainting.imageIds(masked, tok.imageOffset(), tok.mask()), null, 16, false);
        TaskSequence u = p.t2i(new int[0], ImageInpainting.imageIds(masked, tok.imageOffset(), tok.mask()), null, 16,
                false);
        ImageSampler.Result r = new ImageSampler(TextSamplerParityTest.model(g), tok).generate(
                new int[][] {c.ids()}, new int[][] {c.attentionMask()}, new int[][] {u.ids()},
                new int[][] {u.attentionMask()}, 17, new ImageSamplingParams(4, 2f, 1f, MaskSchedule.COSINE),
                new SeededRandom(3), ImageStepListener.NONE);
        for (int i = 0; i < n; i++) {
            if (!grid[i]) {
                assertEquals(codes[i], r.codes()[0][i]);
            }
        }
    }
}
