package org.mmada4j.model;

/**
 * What one block's forward computes and its backward needs, token-major over the T = B·W tokens
 * of the window (llm.c's ActivationTensors, per layer). In inference one record is shared by all
 * layers; a recording {@link ForwardState} keeps one per layer.
 *
 * <p>Capacity grows on demand and is then reused: no allocation per step at steady shapes.
 */
public final class BlockActivations {
    final int dModel;
    final int hidden;
    int capacity;   // tokens the arrays can hold
    int tokens;     // tokens of the last forward

    float[] input;     // [T, d]  block input (residual stream), filled when recording
    float[] attnIn;    // [T, d]  RMSNorm(input; attn_norm)
    float[] attnRstd;  // [T]
    float[] q;         // [T, d]  after RoPE
    float[] k;         // [T, d]  after RoPE (the window's keys; cached keys live in the KvCache)
    float[] v;         // [T, d]
    float[] attn;      // [T, d]  attention output before attn_out
    float[] mid;       // [T, d]  residual stream after attention, filled when recording
    float[] ffIn;      // [T, d]  RMSNorm(mid; ff_norm)
    float[] ffRstd;    // [T]
    float[] gate;      // [T, m]  ffIn·ff_projᵀ (pre-SiLU)
    float[] up;        // [T, m]  ffIn·up_projᵀ
    float[] act;       // [T, m]  silu(gate) ⊙ up

    BlockActivations(int dModel, int hidden) {
        this.dModel = dModel;
        this.hidden = hidden;
    }

    void ensure(int t, boolean recording) {
        tokens = t;
        if (t <= capacity && (!recording || input != null)) {
            return;
        }
        int cap = Math.max(t, capacity);
        int d = dModel;
        attnIn = new float[cap * d];
        attnRstd = new float[cap];
        q = new float[cap * d];
        k = new float[cap * d];
        v = new float[cap * d];
        attn = new float[cap * d];
        ffIn = new float[cap * d];
        ffRstd = new float[cap];
        gate = new float[cap * hidden];
        up = new float[cap * hidden];
        act = new float[cap * hidden];
        if (recording) {
            input = new float[cap * d];
            mid = new float[cap * d];
        }
        capacity = cap;
    }

    public int tokens() {
        return tokens;
    }

    public float[] input() {
        return input;
    }

    public float[] attnIn() {
        return attnIn;
    }

    public float[] attnRstd() {
        return attnRstd;
    }

    public float[] q() {
        return q;
    }

    public float[] k() {
        return k;
    }

    public float[] v() {
        return v;
    }

    public float[] attn() {
        return attn;
    }

    public float[] mid() {
        return mid;
    }

    public float[] ffIn() {
        return ffIn;
    }

    public float[] ffRstd() {
        return ffRstd;
    }

    public float[] gate() {
        return gate;
    }

    public float[] up() {
        return up;
    }

    public float[] act() {
        return act;
    }
}
