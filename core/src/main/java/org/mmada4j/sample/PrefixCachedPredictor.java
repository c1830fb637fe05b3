package org.mmada4j.sample;

import org.mmada4j.model.ForwardState;
import org.mmada4j.model.KvCache;
import org.mmada4j.model.LogitsSpec;
import org.mmada4j.model.MmadaModel;
import org.mmada4j.tensor.AttentionMask;

/**
 * An approximate {@link MaskPredictor} for text-to-image: the keys/values of the text prefix (positions before
 * {@code windowStart}, i.e. the t2i text area) are computed by a full pass every {@code refreshEvery} calls and
 * reused in between, when only [windowStart, L) — {@code <|soi|>}, the image tokens, {@code <|eoi|>} — is
 * recomputed.
 *
 * <p>Not exact: attention is bidirectional, so the prefix's keys/values depend on the image tokens, which change
 * every step. Its gain over the exact {@link ModelPredictor} (which already skips the left padding exactly) is
 * only the real prompt tokens: at most (prompt tokens) / (L − padding) of the work.
 */
public final class PrefixCachedPredictor implements MaskPredictor {
    private final MmadaModel model;
    private final ForwardState state;
    private final int windowStart;
    private final int refreshEvery;
    private KvCache cache;
    private long calls;

    public PrefixCachedPredictor(MmadaModel model, int windowStart, int refreshEvery) {
        if (windowStart < 1 || refreshEvery < 1) {
            throw new IllegalArgumentException("window start " + windowStart + " and refresh period " + refreshEvery
                    + " must be >= 1");
        }
        this.model = model;
        this.state = model.newState();
        this.windowStart = windowStart;
        this.refreshEvery = refreshEvery;
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
        if (posFrom < windowStart) {
            throw new IllegalArgumentException("logit rows from " + posFrom + " lie in the cached prefix [0, "
                    + windowStart + ")");
        }
        int[] flat = ModelPredictor.flatten(ids, len);
        AttentionMask m = ModelPredictor.mask(attentionMask, b, len);
        LogitsSpec spec = LogitsSpec.rows(posFrom, posTo).vocab(vocabFrom, vocabTo);
        boolean refresh = cache == null || cache.batch() != b || cache.length() != len || calls % refreshEvery == 0;
        calls++;
        if (refresh) {
            if (cache == null || cache.batch() != b || cache.length() != len) {
                cache = model.newKvCache(b, len);
            }
            return model.forward(state, flat, b, len, m, spec, cache).toArray();
        }
        return model.forwardWindow(state, flat, b, len, windowStart, len, m, spec, cache).toArray();
    }
}
