package org.mmada4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mmada4j.io.NpyArray;
import org.mmada4j.tensor.AttentionMask;
import org.mmada4j.testing.Assertions2;
import org.mmada4j.testing.GoldenSet;

/**
 * Partial passes: logit row/column slices, KV-cached windows (prefix and dual cache) and recording
 * states must reproduce the full pass's numbers.
 */
class MmadaWindowForwardTest {
    /** Same arithmetic on the same rows; only the GEMM's blocking may differ. */
    static final double ATOL = 2e-5;

    static List<GoldenSet> goldens() {
        return GoldenSet.all();
    }

    @ParameterizedTest
    @MethodSource("goldens")
    void rowAndVocabularySliceEqualsTheFullLogits(GoldenSet g) {
        MmadaModel model = TinyModels.load(g);
        NpyArray ids = g.npy("forward_input_ids.npy");
        int batch = ids.dim(0);
        int length = ids.dim(1);
        int vocab = model.config().embeddingSize();
        Logits full = model.forward(model.newState(), ids.toInts(), batch, length, null, LogitsSpec.all()).copy();
        int rowFrom = length / 3;
        int rowTo = length - 2;
        int vFrom = vocab / 4;
        int vTo = vocab - 5;
        Logits part = model.forward(model.newState(), ids.toInts(), batch, length, null,
                LogitsSpec.rows(rowFrom, rowTo).vocab(vFrom, vTo));
        assertEquals(rowTo - rowFrom, part.rows());
        assertEquals(vTo - vFrom, part.cols());
        float[] expected = new float[batch * part.rows() * part.cols()];
        float[] actual = new float[expected.length];
        int i = 0;
        for (int b = 0; b < batch; b++) {
            for (int p = rowFrom; p < rowTo; p++) {
                for (int v = vFrom; v < vTo; v++, i++) {
                    expected[i] = full.get(b, p, v);
                    actual[i] = part.get(b, p, v);
                }
            }
        }
        Assertions2.assertClose("sliced logits", expected, actual, ATOL, 0);
    }

    @ParameterizedTest
    @MethodSource("goldens")
    void cachedWindowsEqualTheFullPassRows(GoldenSet g) {
        MmadaModel model = TinyModels.load(g);
        NpyArray ids = g.npy("forward_masked_input_ids.npy");
        int[] maskValues = g.npy("forward_masked_attention_mask.npy").toInts();
        int batch = ids.dim(0);
        int length = ids.dim(1);
        for (AttentionMask mask : new AttentionMask[] {null, AttentionMask.padding(maskValues, batch, length)}) {
            Logits full = model.forward(model.newState(), ids.toInts(), batch, length, mask, LogitsSpec.all()).copy();
            KvCache cache = model.newKvCache(batch, length);
            ForwardState st = model.newState();
            model.forward(st, ids.toInts(), batch, length, mask, LogitsSpec.none(), cache);
            int blockStart = length / 2;
            int blockEnd = blockStart + Math.max(1, length / 6);
            // dual cache: the window is the current block
            assertWindowMatches(model, st, full, ids.toInts(), batch, length, blockStart, blockEnd, mask, cache);
            // prefix cache: the window runs from the block to the end
            assertWindowMatches(model, st, full, ids.toInts(), batch, length, blockStart, length, mask, cache);
            // a single position at the start
            assertWindowMatches(model, st, full, ids.toInts(), batch, length, 0, 1, mask, cache);
        }
    }

    @ParameterizedTest
    @MethodSource("goldens")
    void windowWritesItsFreshKeysIntoTheCache(GoldenSet g) {
        MmadaModel model = TinyModels.load(g);
        NpyArray ids = g.npy("forward_input_ids.npy");
        int batch = ids.dim(0);
        int length = ids.dim(1);
        int[] x = ids.toInts();
        KvCache cache = model.newKvCache(batch, length);
        ForwardState st = model.newState();
        model.forward(st, x, batch, length, null, LogitsSpec.none(), cache);
        // Change the block's tokens (as a sampler unmasking them): a window pass over the block with the
        // stale cache, then a window pass over a later range must see the block's fresh keys.
        int blockStart = length / 4;
        int blockEnd = length / 2;
        int[] y = x.clone();
        for (int b = 0; b < batch; b++) {
            for (int p = blockStart; p < blockEnd; p++) {
                y[b * length + p] = model.config().maskTokenId();
            }
        }
        KvCache before = model.newKvCache(batch, length);
        int last = model.config().nLayers() - 1;
        System.arraycopy(cache.keys(last), 0, before.keys(last), 0, cache.keys(last).length);
        model.forwardWindow(st, y, batch, length, blockStart, blockEnd, null, LogitsSpec.none(), cache);
        // Layer 0's keys depend only on each position's own token, so after the window pass layer 0 of
        // the cache must equal a fresh full pass over y (deeper layers outside the window stay stale:
        // the approximation Fast-dLLM accepts).
        KvCache fresh = model.newKvCache(batch, length);
        model.forward(model.newState(), y, batch, length, null, LogitsSpec.none(), fresh);
        Assertions2.assertClose("layer-0 keys after window writes", fresh.keys(0), cache.keys(0), ATOL, 0);
        Assertions2.assertClose("layer-0 values after window writes", fresh.values(0), cache.values(0), ATOL, 0);
        // Positions outside the window keep their old keys in the last layer; the window's changed.
        int w = model.config().nKvHeads() * model.config().headDim();
        for (int b = 0; b < batch; b++) {
            for (int p = 0; p < length; p++) {
                boolean inWindow = p >= blockStart && p < blockEnd;
                boolean same = java.util.Arrays.equals(before.keys(last), (b * length + p) * w, (b * length + p + 1) * w,
                        cache.keys(last), (b * length + p) * w, (b * length + p + 1) * w);
                assertEquals(!inWindow, same, "cache row of sequence " + b + " position " + p);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("goldens")
    void recordingStateComputesTheSameLogits(GoldenSet g) {
        MmadaModel model = TinyModels.load(g);
        NpyArray ids = g.npy("forward_input_ids.npy");
        int batch = ids.dim(0);
        int length = ids.dim(1);
        Logits a = model.forward(model.newState(), ids.toInts(), batch, length, null, LogitsSpec.all()).copy();
        ForwardState rec = model.newRecordingState();
        Logits b = model.forward(rec, ids.toInts(), batch, length, null, LogitsSpec.all());
        assertEquals(0.0, Assertions2.maxAbsDiff(a.toArray(), b.toArray()));
        // layer 1's recorded input is layer 0's output: not the embedding
        int d = model.config().dModel();
        assertTrue(model.config().nLayers() < 2
                || Assertions2.maxAbsDiff(rec.layer(0).input(), rec.layer(1).input()) > 1e-3);
        assertEquals(batch * length, rec.layer(0).tokens());
        assertTrue(rec.layer(0).attnRstd()[0] > 0 && d > 0);
    }

    @ParameterizedTest
    @MethodSource("goldens")
    void packedWeightsGiveBitIdenticalLogits(GoldenSet g) {
        MmadaModel model = TinyModels.load(g);
        NpyArray ids = g.npy("forward_input_ids.npy");
        int batch = ids.dim(0);
        int length = ids.dim(1);
        int vocab = model.config().embeddingSize();
        Logits full = model.forward(model.newState(), ids.toInts(), batch, length, null, LogitsSpec.all()).copy();
        Logits slice = model.forward(model.newState(), ids.toInts(), batch, length, null,
                LogitsSpec.rows(1, length).vocab(vocab / 2, vocab)).copy();
        long bytes = model.packWeights();
        assertTrue(bytes >= 4 * (model.config().parameterCount() - (long) vocab * model.config().dModel()), "packed " + bytes);
        Logits packedFull = model.forward(model.newState(), ids.toInts(), batch, length, null, LogitsSpec.all());
        assertEquals(0.0, Assertions2.maxAbsDiff(full.toArray(), packedFull.toArray()));
        Logits packedSlice = model.forward(model.newState(), ids.toInts(), batch, length, null,
                LogitsSpec.rows(1, length).vocab(vocab / 2, vocab));
        assertEquals(0.0, Assertions2.maxAbsDiff(slice.toArray(), packedSlice.toArray()));
    }

    @ParameterizedTest
    @MethodSource("goldens")
    void badRequestsAreRejected(GoldenSet g) {
        MmadaModel model = TinyModels.load(g);
        NpyArray ids = g.npy("forward_input_ids.npy");
        int batch = ids.dim(0);
        int length = ids.dim(1);
        ForwardState st = model.newState();
        assertThrows(IllegalArgumentException.class, () ->
                model.forward(st, ids.toInts(), batch + 1, length, null, LogitsSpec.all()));
        assertThrows(IllegalArgumentException.class, () ->
                model.forward(st, ids.toInts(), batch, length, null, LogitsSpec.rows(0, length + 1)));
        assertThrows(IllegalArgumentException.class, () ->
                model.forwardWindow(st, ids.toInts(), batch, length, 0, 2, null, LogitsSpec.all(),
                        model.newKvCache(batch, length + 1)));
        int[] bad = ids.toInts();
        bad[3] = model.config().embeddingSize();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                model.forward(st, bad, batch, length, null, LogitsSpec.all()));
        assertTrue(e.getMessage().contains("token id"), e.getMessage());
    }

    private static void assertWindowMatches(MmadaModel model, ForwardState st, Logits full, int[] ids, int batch,
                                            int length, int start, int end, AttentionMask mask, KvCache cache) {
        Logits win = model.forwardWindow(st, ids, batch, length, start, end, mask, LogitsSpec.all(), cache);
        float[] expected = new float[batch * (end - start) * full.cols()];
        float[] actual = new float[expected.length];
        int i = 0;
        for (int b = 0; b < batch; b++) {
            for (int p = start; p < end; p++) {
                for (int v = 0; v < full.cols(); v++, i++) {
                    expected[i] = full.get(b, p, v);
                    actual[i] = win.get(b, p, v);
                }
            }
        }
        Assertions2.assertClose("window [" + start + "," + end + ") mask " + (mask == null ? "none" : "padding"),
                expected, actual, ATOL, 0);
    }
}
