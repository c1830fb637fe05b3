package org.mmada4j.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A Hugging Face {@code tokenizer.json} BPE tokenizer, id-for-id equal to the Rust tokenizers library
 * (tested against it on Llama-3 and Qwen3). Pipeline of {@code encode}, as tokenizer/mod.rs:
 * <ol>
 *   <li>added tokens with {@code normalized: false} are cut out of the raw text;</li>
 *   <li>each remaining part is normalized, then added tokens with {@code normalized: true} are cut out;</li>
 *   <li>the pre-tokenizer splits what is left into pieces, and the BPE model encodes each piece.</li>
 * </ol>
 * {@link #encode} adds no BOS/EOS (prompt layouts place them); {@link #encodeWithSpecialTokens} applies
 * the post-processor's single-sequence template, with truncation (CLIP's text encoder). Instances are
 * immutable apart from the BPE cache, a concurrent map, so they are thread-safe.
 */
public final class BpeTokenizer implements TextTokenizer {
    private final Normalizer normalizer;     // null = none
    private final PreTokenizer preTokenizer; // null = the whole part is one piece
    private final BpeModel model;
    private final AddedTokens added;
    private final Decoder decoder;           // null = tokens joined with spaces (the library's default)
    private final PostProcessor postProcessor;
    private final int size;

    private BpeTokenizer(Normalizer normalizer, PreTokenizer preTokenizer, BpeModel model, AddedTokens added,
                         Decoder decoder, PostProcessor postProcessor, int size) {
        this.normalizer = normalizer;
        this.preTokenizer = preTokenizer;
        this.model = model;
        this.added = added;
        this.decoder = decoder;
        this.postProcessor = postProcessor;
        this.size = size;
    }

    /** Loads a {@code tokenizer.json}; errors name the file and the field at fault. */
    public static BpeTokenizer load(Path file) {
        String json;
        try {
            json = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("tokenizer file not found: " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer file " + file, e);
        }
        return fromJson(json, file.toString());
    }

    /** Parses the text of a {@code tokenizer.json}; {@code source} names it in error messages. */
    public static BpeTokenizer fromJson(String json, String source) {
        TokenizerFileReader.Parsed parsed = TokenizerFileReader.parse(json, source);
        JsonNode root = parsed.root();
        TokenizerJson r = new TokenizerJson(source);
        Normalizer normalizer = r.normalizer(root.get("normalizer"), "normalizer");
        PreTokenizer pre = r.preTokenizer(root.get("pre_tokenizer"), "pre_tokenizer");
        BpeModel model = r.model(root.get("model"), parsed.vocab(), parsed.merges());
        AddedTokens added = new AddedTokens(r.addedTokens(root.get("added_tokens")), normalizer);
        Decoder decoder = r.decoder(root.get("decoder"), "decoder");
        PostProcessor post = r.postProcessor(root.get("post_processor"), "post_processor");
        int size = Math.max(model.maxId() + 1, added.maxId() + 1);
        return new BpeTokenizer(normalizer, pre, model, added, decoder, post, size);
    }

    @Override
    public int[] encode(String text) {
        checkNoLoneSurrogate(text);
        IntList out = new IntList(text.length() / 3 + 4);
        boolean[] first = {true};
        added.splitRaw(text, (part, id) -> {
            boolean atStart = first[0];
            first[0] = false;
            if (id >= 0) {
                out.add(id);
                return;
            }
            String norm = normalizer == null ? part : normalizer.normalize(part);
            added.splitNormalized(norm, (sub, id2) -> {
                if (id2 >= 0) {
                    out.add(id2);
                } else if (preTokenizer == null) {
                    model.encode(sub, out);
                } else {
                    preTokenizer.split(sub, atStart && sub == norm, (piece, s) -> model.encode(piece, out));
                }
            });
        });
        return out.toArray();
    }

    /**
     * {@link #encode} then the post-processor's special tokens (the Rust library's
     * {@code encode(text, add_special_tokens=true)}).
     */
    public int[] encodeWithSpecialTokens(String text) {
        return postProcessor.apply(encode(text));
    }

    /**
     * As {@link #encodeWithSpecialTokens(String)}, truncated to at most {@code maxLength} ids the way the
     * library truncates one sequence: the text's ids are cut to {@code maxLength − specialTokensAdded()}
     * (keeping the first), then the special tokens are added, so the end token survives.
     */
    public int[] encodeWithSpecialTokens(String text, int maxLength) {
        if (maxLength < postProcessor.added()) {
            throw new IllegalArgumentException("maxLength " + maxLength + " leaves no room for the "
                    + postProcessor.added() + " special tokens the post-processor adds");
        }
        int[] ids = encode(text);
        int room = maxLength - postProcessor.added();
        return postProcessor.apply(ids.length > room ? java.util.Arrays.copyOf(ids, room) : ids);
    }

    /** Ids the post-processor adds around one sequence (0 when there is none). */
    public int specialTokensAdded() {
        return postProcessor.added();
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        List<String> tokens = new ArrayList<>(ids.length);
        for (int id : ids) {
            AddedTokens.Token a = added.byId(id);
            if (a != null) {
                if (!(skipSpecialTokens && a.special())) {
                    tokens.add(a.content());
                }
                continue;
            }
            String t = model.token(id);
            if (t == null) {
                throw new IllegalArgumentException("token id " + id + " is not in the vocabulary (ids 0.." + (size - 1) + ")");
            }
            if (skipSpecialTokens) {
                AddedTokens.Token same = added.byContent(t);
                if (same != null && same.special()) {
                    continue;
                }
            }
            tokens.add(t);
        }
        if (decoder == null) {
            return String.join(" ", tokens);
        }
        return String.join("", decoder.decodeChain(tokens));
    }

    /** Highest id of the vocabulary or the added tokens, plus one. */
    @Override
    public int size() {
        return size;
    }

    @Override
    public OptionalInt tokenId(String token) {
        AddedTokens.Token a = added.byContent(token);
        if (a != null) {
            return OptionalInt.of(a.id());
        }
        Integer id = model.id(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** Lone UTF-16 surrogates have no UTF-8 form, so no byte-level token can represent them. */
    private static void checkNoLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw new IllegalArgumentException(String.format(
                        "text contains a lone UTF-16 surrogate U+%04X at index %d; it has no UTF-8 encoding", (int) c, i));
            }
        }
    }
}
