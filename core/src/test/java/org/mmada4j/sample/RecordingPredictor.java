package org.mmada4j.sample;

import java.util.ArrayList;
import java.util.List;

/** Wraps a predictor and keeps a copy of every batch it is asked about (the sampler's model inputs). */
final class RecordingPredictor implements MaskPredictor {
    final MaskPredictor inner;
    final List<int[][]> inputs = new ArrayList<>();

    RecordingPredictor(MaskPredictor inner) {
        this.inner = inner;
    }

    @Override
    public int vocabSize() {
        return inner.vocabSize();
    }

    @Override
    public int maxSequenceLength() {
        return inner.maxSequenceLength();
    }

    @Override
    public float[] logits(int[][] ids, int[][] attentionMask, int posFrom, int posTo, int vocabFrom, int vocabTo) {
        int[][] copy = new int[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            copy[i] = ids[i].clone();
        }
        inputs.add(copy);
        return inner.logits(ids, attentionMask, posFrom, posTo, vocabFrom, vocabTo);
    }
}
