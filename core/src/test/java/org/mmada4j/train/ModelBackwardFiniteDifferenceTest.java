package org.mmada4j.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mmada4j.model.CheckpointNames;
import org.mmada4j.model.ForwardState;
import org.mmada4j.model.LogitsSpec;
import org.mmada4j.model.MmadaModel;
import org.mmada4j.model.ModelBackward;
import org.mmada4j.model.ModelConfig;
import org.mmada4j.model.ModelGradients;
import org.mmada4j.tensor.AttentionMask;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.Tensor;

/**
 * The whole model's backward against central finite differences of its forward, for every
 * parameter tensor (sampled elements), with no mask, a padding mask and an additive bias. Loss:
 * {@code Σ r ⊙ logits} for a fixed random r, summed in double.
 */
class ModelBackwardFiniteDifferenceTest {
    static final int B = 2;
    static final int L = 5;

    @Test
    void everyParameterMatchesFiniteDifferences() {
        ModelConfig c = new ModelConfig(8, 2, 2, 2, 12, 11, 11, 1e-5f, 10000.0, 16, 10, 0, 0, 0, -1, -1);
        Random rnd = new Random(5);
        ParameterSet params = new ParameterSet();
        for (Map.Entry<String, long[]> e : CheckpointNames.expectedShapes(c).entrySet()) {
            int n = (int) Tensor.elementCount(e.getValue());
            float[] v = new float[n];
            boolean norm = e.getValue().length == 1;
            for (int i = 0; i < n; i++) {
                v[i] = norm ? 1f + 0.1f * (float) rnd.nextGaussian() : (float) (rnd.nextGaussian() * 0.3);
            }
            params.add(e.getKey(), e.getValue(), v);
        }
        int[] ids = {1, 4, 2, 9, 10, 3, 3, 0, 7, 10};
        int[] pad = {0, 1, 1, 1, 1, 1, 1, 1, 1, 0};
        float[] bias = new float[B * L * L];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (float) rnd.nextGaussian();
        }
        for (AttentionMask mask : new AttentionMask[] {AttentionMask.none(), AttentionMask.padding(pad, B, L),
                AttentionMask.additive(bias, B, L)}) {
            float[] r = new float[B * L * c.embeddingSize()];
            for (int i = 0; i < r.length; i++) {
                boolean paddedRow = mask.kind() == AttentionMask.Kind.PADDING && pad[i / c.embeddingSize()] == 0;
                r[i] = paddedRow ? 0f : (float) rnd.nextGaussian(); // see BackwardKernelsTest on padded rows
            }
            double worst = check(c, params, ids, mask, r, rnd);
            assertTrue(worst < 3e-3, mask.kind() + ": max relative FD error " + worst);
        }
    }

    static double check(ModelConfig c, ParameterSet params, int[] ids, AttentionMask mask, float[] r, Random rnd) {
        ComputePool pool = ComputePool.shared();
        Map<String, Tensor> views = new HashMap<>();
        Map<String, float[]> gradArrays = new HashMap<>();
        ParameterSet grads = params.zerosLike();
        for (ParameterSet.Entry e : params.entries()) {
            views.put(e.name(), Tensor.ofFloats(e.values(), e.shape()));
            gradArrays.put(e.name(), grads.get(e.name()));
        }
        MmadaModel model = MmadaModel.of(c, views, "fd", pool);
        ForwardState st = model.newRecordingState();
        model.forward(st, ids, B, L, mask, LogitsSpec.all());
        new ModelBackward(model).backward(st, ids, B, L, mask, r, ModelGradients.bind(c, gradArrays));
        ForwardState plain = model.newState();
        double worst = 0;
        double h = 3e-3;
        for (ParameterSet.Entry e : params.entries()) {
            float[] p = e.values();
            float[] g = grads.get(e.name());
            for (int s = 0; s < 6; s++) {
                int i = rnd.nextInt(p.length);
                if (e.name().equals(CheckpointNames.WTE) && s == 0) {
                    i = ids[0] * c.dModel(); // make sure a used embedding row is checked
                }
                float keep = p[i];
                p[i] = (float) (keep + h);
                double up = dot(model.forward(plain, ids, B, L, mask, LogitsSpec.all()).toArray(), r);
                p[i] = (float) (keep - h);
                double down = dot(model.forward(plain, ids, B, L, mask, LogitsSpec.all()).toArray(), r);
                p[i] = keep;
                double fd = (up - down) / (2 * h);
                worst = Math.max(worst, Math.abs(fd - g[i]) / Math.max(1.0, Math.abs(fd)));
            }
        }
        return worst;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
