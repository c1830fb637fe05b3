package org.mmada4j.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.mmada4j.model.ForwardState;
import org.mmada4j.model.LogitsSpec;
import org.mmada4j.model.MmadaModel;
import org.mmada4j.tensor.AttentionMask;
import org.mmada4j.tensor.ComputePool;

/**
 * {@link MaskPredictor} over the {@link MmadaModel} forward pass: one working state, so one caller at a
 * time (samplers are sequential). Counts forward passes (NFE).
 */
public final class ModelPredictor implements MaskPredictor {
    private final MmadaModel model;
    private final ForwardState state;
    private long forwards;

    public ModelPredictor(MmadaModel model) {
        this.model = model;
        this.state = model.newState();
    }

    /** Loads the model in {@code dir} ({@link MmadaModel#load}), wrapping I/O errors. */
    public static MmadaModel load(Path dir, ComputePool pool) {
        try {
            return MmadaModel.load(dir, pool);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the model in " + dir + ": " + e.getMessage(), e);
        }
    }

    public MmadaModel model() {
        return model;
    }

    public long forwards() {
        return forwards;
    }

    @Override
    public int vocabSize() {
        return model.config().embeddingSize();
    }

    @Override
    public int maxSequenceLength() {
        return model.config().maxSequenceLength();
    }

    @Override
    public float[] logits(int[][] ids, int[][] attentionMask, int posFrom, int posTo, int vocabFrom, int vocabTo) {
        int b = ids.length;
        int len = ids[0].length;
        forwards++;
        return model.forward(state, flatten(ids, len), b, len, mask(attentionMask, b, len),
                LogitsSpec.rows(posFrom, posTo).vocab(vocabFrom, vocabTo)).toArray();
    }

    static int[] flatten(int[][] rows, int len) {
        int[] flat = new int[rows.length * len];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != len) {
                throw new IllegalArgumentException("row " + r + " has length " + rows[r].length + ", expected " + len);
            }
            System.arraycopy(rows[r], 0, flat, r * len, len);
        }
        return flat;
    }

    /** The reference's padding bias from 0/1 rows; null (full attention) when there is no zero, as mmu_generate. */
    static AttentionMask mask(int[][] attentionMask, int b, int len) {
        if (attentionMask == null) {
            return AttentionMask.none();
        }
        int[] flat = flatten(attentionMask, len);
        for (int v : flat) {
            if (v == 0) {
                return AttentionMask.padding(flat, b, len);
            }
        }
        return AttentionMask.none();
    }
}
