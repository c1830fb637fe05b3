package org.mmada4j.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.mmada4j.model.ForwardState;
import org.mmada4j.model.KvCache;
import org.mmada4j.model.LogitsSpec;
import org.mmada4j.model.MmadaModel;
import org.mmada4j.tensor.AttentionMask;
import org.mmada4j.tensor.ComputePool;

/**
 * {@link MaskPredictor} over the {@link MmadaModel} forward pass: one working state, so one caller at a
 * time (samplers are sequential). Counts forward passes (NFE).
 *
 * <p>Leading padding is skipped exactly: when every row's attention mask starts with zeros (t2i's left
 * [iPAD]s, left-padded text batches), only positions from the first real token of any row are computed
 * ({@link MmadaModel#forwardWindow} with absolute RoPE positions). The skipped positions are masked keys —
 * their attention weight is exp(finfo.min − max) = 0 exactly — and their own outputs are never read, so the
 * logits are those of the full pass. For MMaDA's t2i rows (text area T+1 = 513, mostly padding) this removes
 * about a third of the work of both CFG rows.
 */
public final class ModelPredictor implements MaskPredictor {
    private final MmadaModel model;
    private final ForwardState state;
    private final boolean skipPadding;
    private KvCache padCache;
    private long forwards;

    public ModelPredictor(MmadaModel model) {
        this(model, true);
    }

    /** {@code skipPadding = false}: always the full pass (for comparisons). */
    public ModelPredictor(MmadaModel model, boolean skipPadding) {
        this.model = model;
        this.state = model.newState();
        this.skipPadding = skipPadding;
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
        AttentionMask m = mask(attentionMask, b, len);
        LogitsSpec spec = LogitsSpec.rows(posFrom, posTo).vocab(vocabFrom, vocabTo);
        int start = skipPadding && m.kind() == AttentionMask.Kind.PADDING ? firstRealToken(attentionMask) : 0;
        if (start > 0 && start <= posFrom) {
            if (padCache == null || padCache.batch() != b || padCache.length() != len) {
                // never read where it matters: the skipped positions are masked keys
                padCache = model.newKvCache(b, len);
            }
            return model.forwardWindow(state, flatten(ids, len), b, len, start, len, m, spec, padCache).toArray();
        }
        return model.forward(state, flatten(ids, len), b, len, m, spec).toArray();
    }

    /** The first position that is a real token in some row. */
    private static int firstRealToken(int[][] attentionMask) {
        int start = Integer.MAX_VALUE;
        for (int[] row : attentionMask) {
            int t = 0;
            while (t < row.length && row[t] == 0) {
                t++;
            }
            start = Math.min(start, t);
        }
        return start == Integer.MAX_VALUE ? 0 : start;
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
