package org.mmada4j.sample;

import static org.mmada4j.testing.Assertions2.assertEqualIds;

import java.util.Arrays;
import org.mmada4j.io.NpyArray;

/**
 * A {@link MaskPredictor} that answers with recorded per-step logits ([steps][B][L][V]) after checking that
 * the sampler's model inputs equal the recorded ones ([steps][B][L]).
 */
final class TracedLogits implements MaskPredictor {
    private final NpyArray logits;
    private final NpyArray inputs;
    private int step;

    TracedLogits(NpyArray logits, NpyArray inputs) {
        this.logits = logits;
        this.inputs = inputs;
    }

    @Override
    public int vocabSize() {
        return logits.dim(-1);
    }

    @Override
    public int maxSequenceLength() {
        return 4096;
    }

    @Override
    public float[] logits(int[][] ids, int[][] attentionMask, int posFrom, int posTo, int vocabFrom, int vocabTo) {
        int b = logits.dim(1);
        int len = logits.dim(2);
        int v = logits.dim(3);
        long[] flat = new long[ids.length * ids[0].length];
        for (int r = 0; r < ids.length; r++) {
            for (int i = 0; i < ids[r].length; i++) {
                flat[r * ids[r].length + i] = ids[r][i];
            }
        }
        long[] expected = Arrays.copyOfRange(inputs.longs(), step * b * len, (step + 1) * b * len);
        assertEqualIds("model input at step " + step, expected, flat);
        int w = vocabTo - vocabFrom;
        float[] out = new float[b * (posTo - posFrom) * w];
        int o = 0;
        for (int r = 0; r < b; r++) {
            for (int t = posFrom; t < posTo; t++) {
                int base = ((step * b + r) * len + t) * v + vocabFrom;
                System.arraycopy(logits.floats(), base, out, o, w);
                o += w;
            }
        }
        step++;
        return out;
    }

    int steps() {
        return step;
    }
}
