package org.mmada4j.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mmada4j.testing.Assertions2.assertEqualIds;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mmada4j.io.NpyArray;
import org.mmada4j.testing.GoldenSet;
import org.mmada4j.text.TextTokenizer;

/** The golden prompt id arrays rebuilt from the prompt strings of meta.json. */
@Tag("parity")
class PromptingParityTest {
    static java.util.List<GoldenSet> sets() {
        return GoldenSet.all();
    }

    private static long[] longs(int[] a) {
        return Arrays.stream(a).asLongStream().toArray();
    }

    private static int[] row(NpyArray a, int r) {
        int w = a.dim(-1);
        return Arrays.copyOfRange(a.toInts(), r * w, (r + 1) * w);
    }

    @ParameterizedTest
    @MethodSource("sets")
    void t2iPromptsAndMasks(GoldenSet g) {
        SpecialTokens tok = GoldenTokens.of(g);
        Prompting p = new Prompting(tok);
        TextTokenizer tz = ByteStandInTokenizer.of(g);
        JsonNode t2i = g.meta().path("t2i");
        int maxTextLen = t2i.path("max_text_len").asInt();
        int n = t2i.path("seq_len").asInt();
        TaskSequence cond = p.t2iGen(tz.encode(t2i.path("prompt").asText()), maxTextLen, n);
        TaskSequence uncond = p.t2iUncond(maxTextLen, n);
        assertEqualIds("t2i_input_ids", g.npy("t2i_input_ids.npy").longs(), longs(cond.ids()));
        assertEqualIds("t2i_attention_mask", g.npy("t2i_attention_mask.npy").longs(), longs(cond.attentionMask()));
        assertEqualIds("t2i_uncond_input_ids", g.npy("t2i_uncond_input_ids.npy").longs(), longs(uncond.ids()));
        assertEqualIds("t2i_uncond_attention_mask", g.npy("t2i_uncond_attention_mask.npy").longs(),
                longs(uncond.attentionMask()));
    }

    @ParameterizedTest
    @MethodSource("sets")
    void chatAndMmuPrompts(GoldenSet g) {
        SpecialTokens tok = GoldenTokens.of(g);
        Prompting p = new Prompting(tok);
        TextTokenizer tz = ByteStandInTokenizer.of(g);
        String question = g.meta().path("text_cases").get(0).path("prompt").asText();
        int[] chat = ChatTemplate.encodeQuestion(tz, tok, question, false);
        assertEqualIds("text_prompt_ids", g.npy("text_prompt_ids.npy").longs(), longs(chat));

        int[] codes = g.npy("magvit_codes.npy").toInts();
        int[] mmuChat = ChatTemplate.encodeQuestion(tz, tok, g.meta().path("mmu").path("prompt").asText(), false);
        TaskSequence mmu = p.mmuGen(p.imageTokens(codes), mmuChat);
        assertEqualIds("mmu_input_ids", g.npy("mmu_input_ids.npy").longs(), longs(mmu.ids()));
    }

    /** Training layouts of the train_* goldens: t2i (with cond dropout), lm, mmu and lm_chat rows. */
    @ParameterizedTest
    @MethodSource("sets")
    void trainingLayouts(GoldenSet g) {
        SpecialTokens tok = GoldenTokens.of(g);
        Prompting p = new Prompting(tok);
        TextTokenizer tz = ByteStandInTokenizer.of(g);
        JsonNode batch = g.meta().path("train").path("batch");
        int m = batch.path("max_seq_length").asInt();
        int len = batch.path("L").asInt();
        int bt = batch.path("batch_size_t2i").asInt();
        int bl = batch.path("batch_size_lm").asInt();
        NpyArray clean = g.npy("train_clean_input_ids.npy");
        NpyArray labels = g.npy("train_labels.npy");
        NpyArray input = g.npy("train_input_ids.npy");
        NpyArray t2iCodes = g.npy("train_t2i_image_codes.npy");
        NpyArray imageMask = g.npy("train_t2i_image_mask.npy");
        float[] drop = g.npy("train_t2i_cond_dropout_rand.npy").floats();
        double dropP = g.meta().path("train").path("config").path("cond_dropout_prob").asDouble();
        for (int b = 0; b < bt; b++) {
            int[] codes = row(t2iCodes, b);
            int[] mask = row(imageMask, b);
            int[] img = new int[codes.length];
            int[] lab = new int[codes.length];
            for (int j = 0; j < codes.length; j++) {
                img[j] = mask[j] == 1 ? tok.mask() : tok.imageToken(codes[j]);
                lab[j] = mask[j] == 1 ? tok.imageToken(codes[j]) : Prompting.IGNORE;
            }
            int[] text = tz.encode(batch.path("t2i_texts").get(b).asText());
            TaskSequence s = p.t2i(text, img, lab, m, drop[b] < dropP);
            assertEqualIds("train t2i ids row " + b, longs(row(input, b)), longs(s.ids()));
            assertEqualIds("train t2i labels row " + b, longs(row(labels, b)), longs(s.labels()));
            assertEqualIds("train t2i mask row " + b, longs(row(g.npy("train_t2i_attention_mask.npy"), b)),
                    longs(s.attentionMask()));
        }
        for (int b = 0; b < bl; b++) {
            TaskSequence s = p.lm(tz.encode(batch.path("lm_texts").get(b).asText()), len);
            assertEqualIds("train lm ids row " + b, longs(row(clean, bt + b)), longs(s.ids()));
            assertEqualIds("train lm labels row " + b, longs(row(labels, bt + b)), longs(s.labels()));
        }
        NpyArray mmuCodes = g.npy("train_mmu_image_codes.npy");
        NpyArray mmuPrompt = g.npy("train_mmu_prompt_mask.npy");
        for (int b = 0; b < batch.path("batch_size_mmu").asInt(); b++) {
            TaskSequence s = p.mmu(p.imageTokens(row(mmuCodes, b)), tz.encode(batch.path("mmu_texts").get(b).asText()), m);
            assertEquals(len, s.length());
            assertEqualIds("train mmu ids row " + b, longs(row(clean, bt + bl + b)), longs(s.ids()));
            assertEqualIds("train mmu labels row " + b, longs(row(labels, bt + bl + b)), longs(s.labels()));
            assertEqualIds("train mmu prompt row " + b, longs(row(mmuPrompt, b)), longs(s.promptMask()));
        }
        NpyArray chatClean = g.npy("train_chat_lm_clean_input_ids.npy");
        NpyArray chatPrompt = g.npy("train_chat_lm_prompt_mask.npy");
        for (int b = 0; b < bl; b++) {
            TaskSequence s = p.lmChat(tz.encode(batch.path("chat_lm_texts").get(b).asText()), len);
            assertEqualIds("chat lm ids row " + b, longs(row(chatClean, b)), longs(s.ids()));
            assertEqualIds("chat lm prompt row " + b, longs(row(chatPrompt, b)), longs(s.promptMask()));
        }
    }
}
