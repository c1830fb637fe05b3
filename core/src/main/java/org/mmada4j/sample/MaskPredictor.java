package org.mmada4j.sample;

/**
 * What the samplers need from a model: logits of a batch of token-id rows (MMaDA is a bidirectional
 * mask predictor). Only a window of positions and a slice of the vocabulary are asked for, so the
 * output head is computed for just those (t2i reads the image slice of the image slots, the text
 * sampler the rows of the current block).
 */
public interface MaskPredictor {
    /** Size of the output vocabulary (logit columns). */
    int vocabSize();

    /** Longest sequence the model accepts (its context). */
    int maxSequenceLength();

    /**
     * Logits for {@code ids} ([B][L], every row of the same length L) at positions [posFrom, posTo) and
     * vocabulary columns [vocabFrom, vocabTo), flattened as [B][posTo−posFrom][vocabTo−vocabFrom].
     *
     * @param attentionMask null: fully bidirectional; else [B][L] of 0/1, the reference's padding bias
     *                      {@code bias[i][j] = m[i] AND m[j]} ({@code modeling_llada.py})
     */
    float[] logits(int[][] ids, int[][] attentionMask, int posFrom, int posTo, int vocabFrom, int vocabTo);
}
