package org.mmada4j.train;

import java.util.HashMap;
import java.util.Map;
import org.mmada4j.model.Logits;
import org.mmada4j.model.LogitsSpec;
import org.mmada4j.model.MmadaModel;
import org.mmada4j.model.ModelBackward;
import org.mmada4j.model.ModelConfig;
import org.mmada4j.model.ModelGradients;
import org.mmada4j.model.ForwardState;
import org.mmada4j.tensor.AttentionMask;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.Tensor;

/**
 * One trainable model: fp32 master weights ({@link ParameterSet}, which the model reads in place
 * through tensor views, so optimizer updates are seen by the next forward), their gradients, and the
 * forward → loss → backward → clip → AdamW step. Gradients accumulate over micro-batches until
 * {@link #optimizerStep} consumes and zeroes them.
 */
public final class ModelTrainer {
    private final ModelConfig config;
    private final ParameterSet params;
    private final ParameterSet grads;
    private final ComputePool pool;
    private final MmadaModel model;
    private final ModelBackward backward;
    private final ModelGradients gradView;
    private final ForwardState state;
    private boolean recompute;

    public ModelTrainer(ModelConfig config, ParameterSet params, ComputePool pool) {
        this.config = config;
        this.params = params;
        this.grads = params.zerosLike();
        this.pool = pool;
        Map<String, Tensor> views = new HashMap<>();
        Map<String, float[]> gradArrays = new HashMap<>();
        for (ParameterSet.Entry e : params.entries()) {
            views.put(e.name(), Tensor.ofFloats(e.values(), e.shape()));
            gradArrays.put(e.name(), grads.get(e.name()));
        }
        this.model = MmadaModel.of(config, views, "training parameters", pool);
        this.backward = new ModelBackward(model);
        this.gradView = ModelGradients.bind(config, gradArrays);
        this.state = model.newRecordingState();
    }

    /**
     * Activation recomputation (gradient checkpointing): keep only each block's input during the
     * forward and recompute the block before its backward — less memory for long sequences, one more
     * forward of the blocks, identical gradients.
     */
    public ModelTrainer recomputeActivations(boolean on) {
        this.recompute = on;
        return this;
    }

    /** The model over the master weights. Never pack its weights (packed copies would go stale). */
    public MmadaModel model() {
        return model;
    }

    public ParameterSet params() {
        return params;
    }

    public ParameterSet grads() {
        return grads;
    }

    /**
     * Forward, loss and backward of one (micro-)batch; gradients of {@code scale · loss} are added to
     * {@link #grads()} (scale = 1/accumulation steps, as accelerate divides the loss).
     */
    public DiffusionLoss.Result accumulate(DiffusionLoss loss, DiffusionLoss.Batch b, AttentionMask mask, double scale) {
        int vocab = config.embeddingSize();
        DiffusionLoss.Result[] r = new DiffusionLoss.Result[1];
        accumulate(b.inputIds(), b.rows(), b.length(), mask, z -> {
            r[0] = loss.compute(pool, z, vocab, b, true);
            float[] d = r[0].dLogits();
            if (scale != 1.0) {
                float s = (float) scale;
                for (int i = 0; i < d.length; i++) {
                    d[i] *= s;
                }
            }
            return d;
        });
        return r[0];
    }

    /**
     * Forward and backward of any loss of the logits: {@code gradientOf} receives the logits
     * [rows·length, vocab] and returns dLoss/dLogits (same layout), which is back-propagated.
     */
    public void accumulate(int[] ids, int rows, int length, AttentionMask mask,
                           java.util.function.Function<float[], float[]> gradientOf) {
        if (recompute) {
            backward.forwardBackwardRecomputing(ids, rows, length, mask, gradientOf, gradView);
            return;
        }
        Logits logits = model.forward(state, ids, rows, length, mask, LogitsSpec.all());
        int vocab = config.embeddingSize();
        float[] z = logits.data().length == rows * length * vocab ? logits.data() : logits.toArray();
        backward.backward(state, ids, rows, length, mask, gradientOf.apply(z), gradView);
    }

    /** Logits of a forward pass without backward ([rows·length, vocab], a fresh array). */
    public float[] logits(int[] ids, int rows, int length, AttentionMask mask) {
        return model.forward(model.newState(), ids, rows, length, mask, LogitsSpec.all()).toArray();
    }

    /**
     * Forward and backward of a plain weighted token cross-entropy {@code Σ w·CE} over ids [rows, length]
     * (e.g. weights 1/T everywhere: the mean CE the PyTorch peer benchmark trains). Returns the loss.
     */
    public double accumulateCrossEntropy(int[] ids, int[] labels, double[] weights, int rows, int length,
                                         AttentionMask mask) {
        int vocab = config.embeddingSize();
        double[] loss = new double[1];
        accumulate(ids, rows, length, mask, z -> {
            float[] d = new float[rows * length * vocab];
            loss[0] = TokenCrossEntropy.forwardBackward(pool, z, rows * length, vocab, labels, weights, null, d);
            return d;
        });
        return loss[0];
    }

    /**
     * Clips the accumulated gradients to {@code maxNorm} (≤ 0: no clipping), applies one AdamW update
     * at {@code lr} and zeroes the gradients. Returns the pre-clip gradient norm.
     */
    public float optimizerStep(AdamW optimizer, double lr, float maxNorm) {
        float norm = maxNorm > 0 ? GradientClipping.clip(grads, maxNorm) : GradientClipping.totalNorm(grads);
        optimizer.update(pool, params, grads, lr);
        grads.zero();
        return norm;
    }
}
