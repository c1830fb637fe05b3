package org.mmada4j.model;

/**
 * The working memory of forward passes of one {@link MmadaModel} by one caller: the residual
 * stream, the activation record(s), the head's buffers and the logits. Buffers grow to the largest
 * shape seen and are reused, so a sampler's steps allocate nothing big. Not thread-safe: one state
 * per concurrent caller.
 *
 * <p>A {@linkplain #recording recording} state keeps every layer's {@link BlockActivations} (what
 * the backward pass needs); an inference state shares one record across layers. With
 * {@link #captureHiddenStates(boolean)} the pass also stores {@code [n_layers+1, B, W, d]}: the
 * input of each block, then the ln_f output (as the reference's {@code output_hidden_states}).
 */
public final class ForwardState {
    final ModelConfig config;
    final boolean recording;
    final BlockActivations[] layers;
    private boolean captureHidden;

    float[] stream = new float[0];     // [T, d]  residual stream of the window
    float[] headIn = new float[0];     // [R, d]  rows fed to ln_f
    float[] headNormed = new float[0]; // [R, d]  ln_f output
    float[] headRstd = new float[0];   // [R]
    float[] logits = new float[0];     // [R, cols]
    float[] hidden = new float[0];     // [n_layers+1, T, d] when capturing
    int tokens;

    ForwardState(ModelConfig config, boolean recording) {
        this.config = config;
        this.recording = recording;
        int n = recording ? config.nLayers() : 1;
        this.layers = new BlockActivations[n];
        for (int i = 0; i < n; i++) {
            layers[i] = new BlockActivations(config.dModel(), config.mlpHiddenSize());
        }
    }

    /** Whether the next passes store the hidden states (block inputs, then the ln_f output). */
    public ForwardState captureHiddenStates(boolean capture) {
        this.captureHidden = capture;
        return this;
    }

    public boolean capturesHiddenStates() {
        return captureHidden;
    }

    public boolean recording() {
        return recording;
    }

    /**
     * Hidden states of the last pass, {@code [n_layers+1, B, W, d]} (live buffer, may be longer than
     * that); only when capturing.
     */
    public float[] hiddenStates() {
        if (!captureHidden) {
            throw new IllegalStateException("hidden states were not captured: call captureHiddenStates(true) first");
        }
        return hidden;
    }

    /** Activation record of a layer (recording states) — for the backward pass. */
    public BlockActivations layer(int i) {
        if (!recording) {
            throw new IllegalStateException("an inference state keeps no per-layer activations");
        }
        return layers[i];
    }

    /** The rows fed to ln_f in the last pass [R, d], its output and rstd — for the backward pass. */
    public float[] headInput() {
        return headIn;
    }

    public float[] headNormed() {
        return headNormed;
    }

    public float[] headRstd() {
        return headRstd;
    }

    /** Residual stream after the last block [T, d] (before ln_f). */
    public float[] finalStream() {
        return stream;
    }

    BlockActivations activations(int layer) {
        return layers[recording ? layer : 0];
    }

    void ensure(int t, int headRows, int cols) {
        int d = config.dModel();
        tokens = t;
        stream = grow(stream, (long) t * d);
        headIn = grow(headIn, (long) headRows * d);
        headNormed = grow(headNormed, (long) headRows * d);
        headRstd = grow(headRstd, headRows);
        logits = grow(logits, (long) headRows * cols);
        if (captureHidden) {
            hidden = grow(hidden, (long) (config.nLayers() + 1) * t * d);
        }
        for (BlockActivations a : layers) {
            a.ensure(t, recording);
        }
    }

    private static float[] grow(float[] a, long n) {
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("buffer of " + n + " floats does not fit a Java array;"
                    + " ask for fewer logits (LogitsSpec) or a smaller batch");
        }
        return a.length >= n ? a : new float[(int) n];
    }
}
