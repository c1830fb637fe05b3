package org.mmada4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The hyper-parameters of an MMaDA / LLaDA transformer, read from a Hugging Face {@code config.json}
 * ({@code MMadaConfig}: all fields of LLaDA's {@code ModelConfig} plus MMaDA's token fields).
 *
 * <p>Fields absent from the file take LLaDA's {@code ModelConfig} defaults (configuration_llada.py),
 * which for several switches (include_bias, block_type, activation_type, layer_norm_type) are
 * <em>not</em> what MMaDA uses, so an incomplete file fails as "unsupported" rather than running a
 * different network. Every check names the file and the field at fault.
 *
 * @param dModel            d_model, width of the residual stream
 * @param nLayers           n_layers, number of blocks
 * @param nHeads            n_heads (head_dim = d_model / n_heads)
 * @param nKvHeads          n_kv_heads (must equal n_heads: plain multi-head attention)
 * @param mlpHiddenSize     mlp_hidden_size of the SwiGLU (default mlp_ratio · d_model)
 * @param vocabSize         vocab_size
 * @param embeddingSize     embedding_size: rows of wte and of the output head (≥ vocab_size)
 * @param rmsNormEps        rms_norm_eps
 * @param ropeTheta         rope_theta
 * @param maxSequenceLength max_sequence_length: sizes the RoPE table
 * @param maskTokenId       mask_token_id (MMaDA-8B default 126336)
 * @param llmVocabSize      llm_vocab_size (0 when absent)
 * @param codebookSize      codebook_size of the image tokenizer (0 when absent)
 * @param numVqTokens       num_vq_tokens per image (0 when absent)
 * @param eosTokenId        eos_token_id (-1 when absent)
 * @param padTokenId        pad_token_id (-1 when absent)
 */
public record ModelConfig(int dModel, int nLayers, int nHeads, int nKvHeads, int mlpHiddenSize,
                          int vocabSize, int embeddingSize, float rmsNormEps, double ropeTheta,
                          int maxSequenceLength, int maskTokenId, int llmVocabSize, int codebookSize,
                          int numVqTokens, int eosTokenId, int padTokenId) {

    /** The MMaDA-8B mask token, used when a config does not name one (MMADA-REFERENCE §1.2). */
    public static final int DEFAULT_MASK_TOKEN_ID = 126336;

    private static final ObjectMapper JSON = new ObjectMapper();

    public ModelConfig {
        String src = "ModelConfig";
        positive(src, "d_model", dModel);
        positive(src, "n_layers", nLayers);
        positive(src, "n_heads", nHeads);
        positive(src, "n_kv_heads", nKvHeads);
        positive(src, "mlp_hidden_size", mlpHiddenSize);
        positive(src, "vocab_size", vocabSize);
        positive(src, "embedding_size", embeddingSize);
        positive(src, "max_sequence_length", maxSequenceLength);
        if (dModel % nHeads != 0) {
            throw bad(src, "d_model", "d_model " + dModel + " is not divisible by n_heads " + nHeads);
        }
        if ((dModel / nHeads) % 2 != 0) {
            throw bad(src, "n_heads", "head_dim " + dModel / nHeads + " (d_model / n_heads) must be even for RoPE");
        }
        if (nHeads % nKvHeads != 0) {
            throw bad(src, "n_kv_heads", "n_heads " + nHeads + " is not divisible by n_kv_heads " + nKvHeads);
        }
        if (nKvHeads != nHeads) {
            throw bad(src, "n_kv_heads", "grouped-query attention (n_kv_heads " + nKvHeads + " != n_heads "
                    + nHeads + ") is not supported; MMaDA uses plain multi-head attention");
        }
        if (embeddingSize < vocabSize) {
            throw bad(src, "embedding_size", "embedding_size " + embeddingSize + " is smaller than vocab_size " + vocabSize);
        }
        if (!(rmsNormEps > 0) || !Float.isFinite(rmsNormEps)) {
            throw bad(src, "rms_norm_eps", "rms_norm_eps must be a positive number, got " + rmsNormEps);
        }
        if (!(ropeTheta > 0) || !Double.isFinite(ropeTheta)) {
            throw bad(src, "rope_theta", "rope_theta must be a positive number, got " + ropeTheta);
        }
        if (maskTokenId < 0 || maskTokenId >= embeddingSize) {
            throw bad(src, "mask_token_id", "mask_token_id " + maskTokenId + " is outside the embedding table [0, "
                    + embeddingSize + ")");
        }
        if (llmVocabSize < 0 || codebookSize < 0 || numVqTokens < 0) {
            throw bad(src, "llm_vocab_size", "llm_vocab_size, codebook_size and num_vq_tokens must be >= 0");
        }
        if (llmVocabSize + codebookSize > embeddingSize) {
            throw bad(src, "codebook_size", "llm_vocab_size " + llmVocabSize + " + codebook_size " + codebookSize
                    + " exceeds embedding_size " + embeddingSize);
        }
    }

    /** head_dim = d_model / n_heads. */
    public int headDim() {
        return dModel / nHeads;
    }

    /** Parameters of one block: q, k, v, attn_out, ff_proj, up_proj, ff_out and two norm weights. */
    public long blockParameterCount() {
        long d = dModel;
        return 4 * d * d + 3 * d * mlpHiddenSize + 2 * d;
    }

    /** All parameters: wte, the blocks, ln_f and the untied output head. */
    public long parameterCount() {
        return 2L * embeddingSize * dModel + nLayers * blockParameterCount() + dModel;
    }

    /**
     * Floating-point operations of one forward pass over {@code tokens} tokens in sequences of
     * {@code length}: 2 per weight per token for every matrix except the embedding table, plus
     * 4·L·d per token per layer for the attention scores and the weighted sum (same count as
     * the PyTorch peer, torch_bench.py).
     */
    public double forwardFlops(long tokens, long length) {
        double matrixParams = parameterCount() - (double) embeddingSize * dModel;
        return 2.0 * matrixParams * tokens + (double) nLayers * 4.0 * tokens * length * dModel;
    }

    /** Reads and validates {@code config.json}. */
    public static ModelConfig load(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not a readable JSON config: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": config must be a JSON object");
        }
        return parse(root, file.toString());
    }

    /** Validates a parsed config; {@code source} names the file in error messages. */
    public static ModelConfig parse(JsonNode c, String source) {
        // Switches MMaDA4J does not implement: each must have the value MMaDA uses.
        requireValue(c, source, "block_type", "sequential", "llama");
        requireValue(c, source, "activation_type", "gelu", "silu");
        requireValue(c, source, "layer_norm_type", "default", "rms");
        requireFlag(c, source, "include_bias", true, false, "biases");
        requireFlag(c, source, "include_qkv_bias", false, false, "q/k/v biases");
        requireFlag(c, source, "bias_for_layer_norm", false, false, "layer-norm biases");
        requireFlag(c, source, "layer_norm_with_affine", true, true, "RMSNorm without weights");
        requireFlag(c, source, "alibi", false, false, "ALiBi");
        requireFlag(c, source, "rope", false, true, "models without RoPE");
        requireFlag(c, source, "weight_tying", true, false, "weight tying");
        requireFlag(c, source, "tie_word_embeddings", false, false, "tied word embeddings");
        requireFlag(c, source, "attention_layer_norm", false, false, "QK layer norm (attention_layer_norm)");
        requireFlag(c, source, "scale_logits", false, false, "logit scaling");
        requireFlag(c, source, "input_emb_norm", false, false, "input embedding norm");
        requireFlag(c, source, "multi_query_attention", false, false, "multi-query attention");

        int dModel = intField(c, source, "d_model", null);
        int nHeads = intField(c, source, "n_heads", null);
        int nLayers = intField(c, source, "n_layers", null);
        int vocab = intField(c, source, "vocab_size", null);
        int nKv = intField(c, source, "n_kv_heads", nHeads);
        int mlpRatio = intField(c, source, "mlp_ratio", 4);
        int mlp = intField(c, source, "mlp_hidden_size", mlpRatio * dModel);
        int emb = intField(c, source, "embedding_size", vocab);
        double eps = doubleField(c, source, "rms_norm_eps", 1e-5);
        double theta = doubleField(c, source, "rope_theta", 10000.0);
        int maxSeq = intField(c, source, "max_sequence_length", 1024);
        int mask = intField(c, source, "mask_token_id", DEFAULT_MASK_TOKEN_ID);
        int llmVocab = intField(c, source, "llm_vocab_size", 0);
        int codebook = intField(c, source, "codebook_size", 0);
        int numVq = intField(c, source, "num_vq_tokens", 0);
        int eos = intField(c, source, "eos_token_id", -1);
        int pad = intField(c, source, "pad_token_id", -1);
        try {
            return new ModelConfig(dModel, nLayers, nHeads, nKv, mlp, vocab, emb, (float) eps, theta, maxSeq,
                    mask, llmVocab, codebook, numVq, eos, pad);
        } catch (IllegalArgumentException e) {
            // Re-issue with the file name instead of the placeholder source.
            throw new IllegalArgumentException(e.getMessage().replaceFirst("^ModelConfig", source), e);
        }
    }

    private static void requireValue(JsonNode c, String source, String field, String lladaDefault, String supported) {
        JsonNode n = c.get(field);
        String value = n == null || n.isNull() ? lladaDefault : n.asText();
        if (!supported.equalsIgnoreCase(value)) {
            throw bad(source, field, field + " = \"" + value + "\"" + (n == null ? " (LLaDA default, field absent)" : "")
                    + " is not supported; MMaDA4J implements " + field + " = \"" + supported + "\"");
        }
    }

    private static void requireFlag(JsonNode c, String source, String field, boolean lladaDefault, boolean supported,
                                    String feature) {
        JsonNode n = c.get(field);
        boolean value;
        if (n == null || n.isNull()) {
            value = lladaDefault;
        } else if (n.isBoolean()) {
            value = n.booleanValue();
        } else {
            throw bad(source, field, field + " must be true or false, got " + n);
        }
        if (value != supported) {
            throw bad(source, field, field + " = " + value + (n == null || n.isNull() ? " (LLaDA default, field absent)" : "")
                    + ": " + feature + (supported ? " are required" : " are not supported"));
        }
    }

    private static int intField(JsonNode c, String source, String field, Integer dflt) {
        JsonNode n = c.get(field);
        if (n == null || n.isNull()) {
            if (dflt == null) {
                throw bad(source, field, "required field " + field + " is missing");
            }
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw bad(source, field, field + " must be an integer, got " + n);
        }
        return n.intValue();
    }

    private static double doubleField(JsonNode c, String source, String field, double dflt) {
        JsonNode n = c.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isNumber()) {
            throw bad(source, field, field + " must be a number, got " + n);
        }
        return n.doubleValue();
    }

    private static void positive(String source, String field, int value) {
        if (value <= 0) {
            throw bad(source, field, field + " must be positive, got " + value);
        }
    }

    private static IllegalArgumentException bad(String source, String field, String message) {
        return new IllegalArgumentException(source + ": field '" + field + "': " + message);
    }
}
