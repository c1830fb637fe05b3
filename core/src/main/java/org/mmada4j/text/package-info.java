/**
 * Text to token ids and back: Hugging Face {@code tokenizer.json} BPE tokenizers, id-for-id equal to
 * the Rust tokenizers library (tested against it on Llama-3 and Qwen3), and a byte-level BPE trainer.
 *
 * <p>{@link org.mmada4j.text.BpeTokenizer} implements {@link org.mmada4j.text.TextTokenizer}:
 * added tokens (raw, then normalized) → {@code Normalizer} → {@code PreTokenizer} → {@code BpeModel}
 * (merge table + per-piece cache) for encode; model/added token strings → {@code Decoder} chain for
 * decode. Components follow the Rust library's serde layout ({@code TokenizerJson}); an unsupported
 * one fails with a {@link org.mmada4j.text.TokenizerFormatException} naming the file and field.
 * Oniguruma regexes are translated to {@code java.util.regex} by {@code HfRegex}.
 *
 * <p>{@link org.mmada4j.text.BpeTrainer} learns merges and writes a {@code tokenizer.json} through
 * {@link org.mmada4j.text.TokenizerJsonWriter}; {@link org.mmada4j.text.ByteStandInTokenizer} writes
 * the golden sets' byte-level stand-in (models/mmada-tiny/tokenizer.json).
 */
package org.mmada4j.text;
