package org.mmada4j.score;

import org.mmada4j.io.CheckpointException;
import org.mmada4j.tensor.Attention;
import org.mmada4j.tensor.AttentionMask;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.Gelu;

/**
 * One {@code CLIPEncoderLayer} (pre-norm): {@code x += out_proj(attn(layer_norm1(x)))}, then
 * {@code x += fc2(act(fc1(layer_norm2(x))))}. Attention has biases on all four projections; the
 * {@code 1/√headDim} scale HF applies to q is the one {@link Attention} applies to the scores.
 */
final class ClipEncoderLayer {
    private final ClipLayerNorm norm1;
    private final ClipLayerNorm norm2;
    private final ClipLinear q;
    private final ClipLinear k;
    private final ClipLinear v;
    private final ClipLinear o;
    private final ClipLinear fc1;
    private final ClipLinear fc2;
    private final ClipConfig.Tower cfg;

    private ClipEncoderLayer(ClipConfig.Tower cfg, ClipLayerNorm norm1, ClipLayerNorm norm2, ClipLinear q, ClipLinear k,
                             ClipLinear v, ClipLinear o, ClipLinear fc1, ClipLinear fc2) {
        this.cfg = cfg;
        this.norm1 = norm1;
        this.norm2 = norm2;
        this.q = q;
        this.k = k;
        this.v = v;
        this.o = o;
        this.fc1 = fc1;
        this.fc2 = fc2;
    }

    /** Loads {@code prefix} = e.g. {@code vision_model.encoder.layers.3}. */
    static ClipEncoderLayer load(ClipWeights w, String prefix, ClipConfig.Tower c) throws CheckpointException {
        int d = c.hidden();
        return new ClipEncoderLayer(c, w.layerNorm(prefix + ".layer_norm1", d, c.layerNormEps()),
                w.layerNorm(prefix + ".layer_norm2", d, c.layerNormEps()),
                w.linear(prefix + ".self_attn.q_proj", d, d, true), w.linear(prefix + ".self_attn.k_proj", d, d, true),
                w.linear(prefix + ".self_attn.v_proj", d, d, true), w.linear(prefix + ".self_attn.out_proj", d, d, true),
                w.linear(prefix + ".mlp.fc1", c.intermediate(), d, true),
                w.linear(prefix + ".mlp.fc2", d, c.intermediate(), true));
    }

    /** Updates {@code x [batch·length, hidden]} in place. */
    void forward(ComputePool pool, float[] x, int batch, int length, AttentionMask mask, Scratch s) {
        int rows = batch * length;
        int d = cfg.hidden();
        s.ensure(rows, d, cfg.intermediate());
        norm1.forward(pool, x, s.h, rows);
        q.forward(pool, s.h, rows, s.q, false);
        k.forward(pool, s.h, rows, s.k, false);
        v.forward(pool, s.h, rows, s.v, false);
        Attention.forward(pool, s.q, s.k, s.v, s.a, batch, length, length, 0, cfg.heads(), cfg.headDim(), mask);
        o.forward(pool, s.a, rows, x, true);
        norm2.forward(pool, x, s.h, rows);
        fc1.forward(pool, s.h, rows, s.f, false);
        int f = cfg.intermediate();
        pool.parallelFor(rows, r -> Gelu.apply(cfg.hiddenAct(), s.f, r * f, f));
        fc2.forward(pool, s.f, rows, x, true);
    }

    /** Activation buffers shared by the layers of one forward pass. */
    static final class Scratch {
        float[] h = new float[0];
        float[] q = new float[0];
        float[] k = new float[0];
        float[] v = new float[0];
        float[] a = new float[0];
        float[] f = new float[0];

        void ensure(int rows, int d, int inter) {
            if (h.length < rows * d) {
                h = new float[rows * d];
                q = new float[rows * d];
                k = new float[rows * d];
                v = new float[rows * d];
                a = new float[rows * d];
            }
            if (f.length < rows * inter) {
                f = new float[rows * inter];
            }
        }
    }
}
