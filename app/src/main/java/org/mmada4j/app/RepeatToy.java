package org.mmada4j.app;

import java.util.Map;
import java.util.OptionalInt;
import org.mmada4j.model.CheckpointNames;
import org.mmada4j.model.ModelConfig;
import org.mmada4j.model.RandomInit;
import org.mmada4j.tensor.DType;
import org.mmada4j.tensor.Tensor;
import org.mmada4j.text.TextTokenizer;
import org.mmada4j.train.ParameterSet;
import org.mmada4j.train.Reward;

/**
 * The "repeat" toy task of {@code debug grpo-toy}: after the prompt {@code #rep:} the model writes an
 * 8-token answer over the letters a–f, and the reward ({@link #REWARD}) is the fraction of the four
 * pairs (i, i+4) that repeat a letter occurring once in the first half: the answer must be a word of 4
 * distinct letters written twice. Each of the 6·5·4·3 = 360 such words is a valid answer. GRPO starts
 * from a model fine-tuned on words of 4 random letters (repeats allowed) written twice
 * ({@link RepeatToyPretraining}): it knows the copy structure, and RL has to add distinctness, as RL
 * on a reasoning model sharpens what SFT taught.
 *
 * <p>Why this task should separate UniGRPO from the d1-style variant: the reward depends only on the
 * <em>joint</em> structure of the answer. A policy reaches it either (a) by collapsing the position
 * marginals onto one fixed word (a product distribution p_0⋯p_7 scores Σₓ p_i(x)·p_{i+4}(x) per
 * pair; the four pairs must also break symmetry onto different letters), or (b) by keeping the choice
 * of word free and using conditionals: copy the letter four positions away, avoid letters already
 * visible in the first half. d1's noising masks the whole answer, so its log-probabilities, and
 * therefore its gradients, are those of the fully masked marginals p(o_k | q) only: it can learn (a)
 * but never trains the contexts in which (b) is expressed. UniGRPO's partially masked answers train
 * p(o_k | q, visible part of the answer), the conditionals the sampler uses after its first step
 * (low-confidence remasking commits one token at a time). A one-letter answer ("aaaaaaaa") scores 0,
 * so collapsing every position onto one letter, the cheapest product solution, is no shortcut.
 *
 * <p>Design history (all told in the README): (1) a pairs-only reward from random weights was solved
 * within ~10 steps by every variant alike by collapsing onto one letter; (2) this strict reward from
 * random weights gave almost no reward to any variant in 40 steps (2 seeds); (3) pairs plus a
 * distinct-letter credit, from random weights: with 16 seeds every variant converged to the one-letter
 * local optimum (0.625) and UniGRPO − d1 was 0.000 ± 0.001; hence (4), this version, which starts from
 * the fine-tuned model as the paper's RL stage does (the fine-tuned policy scores ≈ 0.24 at step 1).
 *
 * <p>The vocabulary is 12 ids (a–f, the five prompt characters, MASK); every id decodes to one
 * character (MASK to {@code _}, never a match), so answers always have 8 positions.
 */
public final class RepeatToy {
    public static final int LETTERS = 6;
    public static final int ANSWER_LENGTH = 8;
    static final String CHARS = "abcdef#rep:_";
    public static final int MASK = CHARS.length() - 1;

    private RepeatToy() {
    }

    /** The prompt {@code #rep:} as ids. */
    public static int[] prompt() {
        return TOKENIZER.encode("#rep:");
    }

    /** A 2-layer, width-32 transformer over the 12-id vocabulary. */
    public static ModelConfig modelConfig() {
        return new ModelConfig(32, 2, 2, 2, 64, CHARS.length(), CHARS.length(), 1e-5f, 10000.0, 32, MASK, 0, 0, 0, -1, -1);
    }

    /**
     * Random initial weights of seed {@code seed} (before fine-tuning; the same for every variant run
     * from that seed), with a zero output head: the model starts from the uniform policy instead of a
     * random head that on some seeds puts most mass on MASK (seen in design (1): such seeds' groups had no
     * reward variance, hence no learning signal).
     */
    public static ParameterSet initialWeights(long seed) {
        ModelConfig c = modelConfig();
        Map<String, Tensor> init = new RandomInit(c, DType.F32, seed).materialize();
        ParameterSet params = new ParameterSet();
        for (Map.Entry<String, long[]> e : CheckpointNames.expectedShapes(c).entrySet()) {
            float[] v = init.get(e.getKey()).toFloatArray();
            if (e.getKey().equals(CheckpointNames.HEAD)) {
                java.util.Arrays.fill(v, 0f);
            }
            params.add(e.getKey(), e.getValue(), v);
        }
        return params;
    }

    /**
     * Fraction of the pairs (i, i+4), i &lt; 4, holding the same letter where that letter occurs only once
     * in the first half: "abcdabcd" scores 1, "abcaabca" ½ (b and c), "aaaaaaaa" 0.
     */
    public static final Reward REWARD = (response, reference) -> {
        int half = ANSWER_LENGTH / 2;
        String first = response.substring(0, Math.min(half, response.length()));
        int matches = 0;
        for (int i = 0; i < half && i + half < response.length(); i++) {
            char c = response.charAt(i);
            if (c >= 'a' && c < 'a' + LETTERS && c == response.charAt(i + half) && first.indexOf(c) == first.lastIndexOf(c)) {
                matches++;
            }
        }
        return matches / (double) half;
    };

    /** One character per id. */
    public static final TextTokenizer TOKENIZER = new TextTokenizer() {
        @Override
        public int[] encode(String text) {
            int[] ids = new int[text.length()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = CHARS.indexOf(text.charAt(i));
                if (ids[i] < 0) {
                    throw new IllegalArgumentException("'" + text.charAt(i) + "' is not in the toy vocabulary " + CHARS);
                }
            }
            return ids;
        }

        @Override
        public String decode(int[] ids, boolean skipSpecialTokens) {
            StringBuilder sb = new StringBuilder();
            for (int id : ids) {
                sb.append(CHARS.charAt(id));
            }
            return sb.toString();
        }

        @Override
        public int size() {
            return CHARS.length();
        }

        @Override
        public OptionalInt tokenId(String token) {
            int i = token.length() == 1 ? CHARS.indexOf(token.charAt(0)) : -1;
            return i < 0 ? OptionalInt.empty() : OptionalInt.of(i);
        }
    };
}
