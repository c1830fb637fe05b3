package org.mmada4j.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mmada4j.io.Checkpoint;
import org.mmada4j.io.TensorSource;
import org.mmada4j.tensor.AttentionMask;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.PackedWeight;
import org.mmada4j.tensor.Rope;
import org.mmada4j.tensor.Tensor;

/**
 * The MMaDA transformer (= LLaDA's bidirectional llama-shaped mask predictor), forward pass as
 * MMADA-REFERENCE §1.4 / modeling_llada.py {@code LLaDAModel.forward}:
 * <pre>
 *   h = wte[x]
 *   per block: h += attn_out(SDPA(RoPE(q), RoPE(k), v; bias)),  q,k,v = proj(RMSNorm(h))
 *              h += ff_out(silu(ff_proj(m)) ⊙ up_proj(m)),       m = RMSNorm(h)
 *   logits = ff_out(RMSNorm(h; ln_f))
 * </pre>
 * Batches of B sequences of length L, token-major activations {@code [B, L, d]} in fp32, weights in
 * their stored dtype. A pass may compute only a window {@code [start, end)} of positions with the
 * other positions' keys and values taken from a {@link KvCache}; it returns the logits a
 * {@link LogitsSpec} asks for. Legend: B batch, L length, W window, d d_model, H heads, D head_dim.
 *
 * <p>Thread-safe for concurrent passes with distinct {@link ForwardState}s (the weights are read-only).
 */
public final class MmadaModel implements AutoCloseable {
    private final ModelConfig config;
    private final ModelWeights weights;
    private final ComputePool pool;
    private final TensorSource source; // the mapped checkpoint, closed with the model; null if not owned
    private volatile Rope rope;
    private volatile PackedBlock[] packed;   // null unless packWeights() was called
    private volatile PackedWeight packedHead;

    public MmadaModel(ModelConfig config, ModelWeights weights, ComputePool pool) {
        this(config, weights, pool, null);
    }

    private MmadaModel(ModelConfig config, ModelWeights weights, ComputePool pool, TensorSource source) {
        this.config = config;
        this.weights = weights;
        this.pool = pool;
        this.source = source;
        this.rope = new Rope(config.ropeTheta(), config.headDim(), config.maxSequenceLength());
    }

    /**
     * Opens a model directory: {@code config.json} plus a safetensors checkpoint (single file or
     * shards with an index), memory-mapped; the weights stay in the files. Close the model to unmap.
     */
    public static MmadaModel load(Path dir, ComputePool pool) throws IOException {
        Path configFile = dir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new IOException(dir + ": no config.json in the model directory");
        }
        ModelConfig config = ModelConfig.load(configFile);
        Checkpoint ckpt = Checkpoint.open(dir);
        try {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (String name : ckpt.names()) {
                if (!ckpt.spec(name).dtype().isComputeStorage()) {
                    throw new IllegalArgumentException(ckpt.path() + ": tensor " + name + " has dtype "
                            + ckpt.spec(name).dtype() + "; weights must be F32, BF16 or F16");
                }
                tensors.put(name, ckpt.get(name));
            }
            return new MmadaModel(config, ModelWeights.bind(config, tensors, ckpt.path().toString()), pool, ckpt);
        } catch (IOException | RuntimeException e) {
            ckpt.close();
            throw e;
        }
    }

    /**
     * Packs every matrix once into the GEMM's fp32 panel layout on the heap, so that later passes
     * skip the per-call packing and widening (a few percent for fp32 weights, more for bf16). Costs
     * 4 bytes per parameter of heap (2× a bf16 checkpoint): for models whose fp32 weights fit in
     * memory, not for MMaDA-8B. Results are bit-identical. Idempotent; returns the packed bytes.
     */
    public synchronized long packWeights() {
        if (packed == null) {
            PackedBlock[] p = new PackedBlock[config.nLayers()];
            for (int l = 0; l < p.length; l++) {
                p[l] = PackedBlock.of(pool, weights.blocks().get(l));
            }
            packedHead = PackedWeight.pack(pool, weights.head());
            packed = p;
        }
        long bytes = packedHead.bytes();
        for (PackedBlock b : packed) {
            bytes += b.bytes();
        }
        return bytes;
    }

    /** The checkpoint this model was loaded from (null when built from tensors). */
    public TensorSource source() {
        return source;
    }

    /** Unmaps the checkpoint this model was loaded from (its weights become unreadable). */
    @Override
    public void close() {
        if (source != null) {
            source.close();
        }
    }

    /** Binds a checkpoint's tensors (name → tensor) strictly; see {@link ModelWeights#bind}. */
    public static MmadaModel of(ModelConfig config, Map<String, Tensor> tensors, String source, ComputePool pool) {
        return new MmadaModel(config, ModelWeights.bind(config, tensors, source), pool);
    }

    public ModelConfig config() {
        return config;
    }

    public ModelWeights weights() {
        return weights;
    }

    public ComputePool pool() {
        return pool;
    }

    /** Working memory for inference passes (one per concurrent caller). */
    public ForwardState newState() {
        return new ForwardState(config, false);
    }

    /** Working memory that keeps every layer's activations, for a backward pass. */
    public ForwardState newRecordingState() {
        return new ForwardState(config, true);
    }

    /** An empty KV cache for {@code batch} sequences of {@code length} tokens. */
    public KvCache newKvCache(int batch, int length) {
        return new KvCache(config.nLayers(), batch, length, config.nKvHeads() * config.headDim());
    }

    /**
     * Full forward pass over ids {@code [batch, length]}.
     *
     * @param mask null or {@link AttentionMask#none()} for full bidirectional attention, else a
     *             padding mask or an additive bias over {@code [batch, length]}
     */
    public Logits forward(ForwardState st, int[] ids, int batch, int length, AttentionMask mask, LogitsSpec spec) {
        return run(st, ids, batch, length, 0, length, mask, spec, null);
    }

    /** Full forward pass that also fills {@code cache} with every position's keys and values. */
    public Logits forward(ForwardState st, int[] ids, int batch, int length, AttentionMask mask, LogitsSpec spec,
                          KvCache cache) {
        requireCache(cache, batch, length);
        return run(st, ids, batch, length, 0, length, mask, spec, cache);
    }

    /**
     * Forward pass of positions {@code [start, end)} only (Fast-dLLM): the window's queries attend to
     * all {@code length} positions, whose keys/values come from {@code cache} (filled by an earlier
     * pass), after the window's fresh keys/values are written into it. Prefix cache: window =
     * {@code [blockStart, length)}; dual cache: window = the current block. {@code ids} is the whole
     * {@code [batch, length]} sequence; logit rows are absolute positions inside the window.
     */
    public Logits forwardWindow(ForwardState st, int[] ids, int batch, int length, int start, int end,
                                AttentionMask mask, LogitsSpec spec, KvCache cache) {
        requireCache(cache, batch, length);
        return run(st, ids, batch, length, start, end, mask, spec, cache);
    }

    private Logits run(ForwardState st, int[] ids, int batch, int length, int start, int end,
                       AttentionMask mask, LogitsSpec spec, KvCache cache) {
        if (!st.config.equals(config)) {
            throw new IllegalArgumentException("forward state was made for a model of another shape");
        }
        if (batch <= 0 || length <= 0 || ids.length != batch * length) {
            throw new IllegalArgumentException("ids has " + ids.length + " entries, expected batch " + batch
                    + " x length " + length);
        }
        if (start < 0 || end > length || start >= end) {
            throw new IllegalArgumentException("window [" + start + ", " + end + ") outside [0, " + length + ")");
        }
        AttentionMask m = mask == null ? AttentionMask.none() : mask;
        if (m.kind() != AttentionMask.Kind.NONE && (m.batch() != batch || m.length() != length)) {
            throw new IllegalArgumentException("attention mask is " + m.batch() + "x" + m.length()
                    + ", input is " + batch + "x" + length);
        }
        boolean noRows = spec.rowFrom() >= 0 && spec.rowFrom() == spec.rowTo();
        int rowFrom = noRows || spec.rowFrom() < 0 ? start : spec.rowFrom();
        int rowTo = noRows ? start : spec.rowTo() < 0 ? end : spec.rowTo();
        int vocabFrom = spec.vocabFrom() < 0 ? 0 : spec.vocabFrom();
        int vocabTo = spec.vocabTo() < 0 ? config.embeddingSize() : spec.vocabTo();
        if (rowFrom < start || rowTo > end || rowFrom > rowTo) {
            throw new IllegalArgumentException("logit rows [" + rowFrom + ", " + rowTo + ") outside the window ["
                    + start + ", " + end + ")");
        }
        if (vocabFrom > vocabTo || vocabTo > config.embeddingSize()) {
            throw new IllegalArgumentException("logit columns [" + vocabFrom + ", " + vocabTo
                    + ") outside the vocabulary [0, " + config.embeddingSize() + ")");
        }
        Rope r = ropeFor(end);
        PackedBlock[] pk = packed;
        int window = end - start;
        int tokens = batch * window;
        int rows = rowTo - rowFrom;
        int cols = vocabTo - vocabFrom;
        int d = config.dModel();
        st.ensure(tokens, batch * rows, cols);
        float[] x = st.stream;

        // h = wte[ids] over the window
        Embedding.forward(weights.wte(), ids, batch, length, start, end, x);
        for (int l = 0; l < config.nLayers(); l++) {
            BlockWeights w = weights.blocks().get(l);
            BlockActivations a = st.activations(l);
            a.tokens = tokens;
            // capture / record the block input
            if (st.capturesHiddenStates()) {
                System.arraycopy(x, 0, st.hidden, l * tokens * d, tokens * d);
            }
            if (st.recording) {
                System.arraycopy(x, 0, a.input, 0, tokens * d);
            }
            // h = h + attention(RMSNorm(h))
            SelfAttention.forward(pool, config, w, r, l, x, a, batch, length, start, end, m, cache,
                    pk == null ? null : pk[l]);
            if (st.recording) {
                System.arraycopy(x, 0, a.mid, 0, tokens * d);
            }
            // h = h + mlp(RMSNorm(h))
            SwiGluMlp.forward(pool, config, w, x, a, pk == null ? null : pk[l]);
        }
        // hidden state n_layers = ln_f output of every window position
        if (st.capturesHiddenStates()) {
            float[] out = new float[tokens * d];
            RmsNorm.forward(pool, x, weights.lnF(), config.rmsNormEps(), out, null, tokens, d);
            System.arraycopy(out, 0, st.hidden, config.nLayers() * tokens * d, tokens * d);
        }
        // logits = RMSNorm(h; ln_f)·Wheadᵀ on the requested rows and columns
        LmHead.forward(pool, config, weights.lnF(), weights.head(), pk == null ? null : packedHead, x,
                batch, window, rowFrom - start, rows, vocabFrom, cols, st.headIn, st.headNormed, st.headRstd, st.logits);
        return new Logits(st.logits, batch, rowFrom, rows, vocabFrom, cols);
    }

    private void requireCache(KvCache cache, int batch, int length) {
        if (cache == null) {
            throw new IllegalArgumentException("this pass needs a KV cache");
        }
        if (cache.batch() != batch || cache.length() != length || cache.layers() != config.nLayers()) {
            throw new IllegalArgumentException("KV cache is for batch " + cache.batch() + " x length " + cache.length()
                    + ", input is " + batch + " x " + length);
        }
    }

    /** RoPE table covering {@code positions}; grows beyond max_sequence_length as the reference's cache does. */
    private Rope ropeFor(int positions) {
        Rope r = rope;
        if (positions > r.maxPositions()) {
            synchronized (this) {
                r = rope;
                if (positions > r.maxPositions()) {
                    r = new Rope(config.ropeTheta(), config.headDim(), Math.max(positions, 2 * r.maxPositions()));
                    rope = r;
                }
            }
        }
        return r;
    }
}
