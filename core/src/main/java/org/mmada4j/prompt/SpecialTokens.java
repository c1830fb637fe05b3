package org.mmada4j.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The ids MMaDA's task layouts are built from: text specials (BOS, EOS, mask, chat headers), the
 * reserved task tokens ({@code <|soi|>}, {@code <|t2i|>}, …, {@code [iPAD]}) and the image-token
 * offset (= {@code len(text tokenizer)}; image token id = offset + code).
 *
 * <p>Read from a model directory by {@link #load}: the token map file {@value #FILE} (same keys as the
 * golden {@code meta.json} "tokens" section) wins, then {@code config.json} fields ({@code mask_token_id},
 * {@code eos_token_id}, {@code pad_token_id}, {@code bos_token_id}, {@code codebook_size},
 * {@code num_vq_tokens}), then the tokenizer's size for the offset, then MMaDA-8B's values
 * ({@code training/prompting_utils.py reserved_token_mapping}, LLaDA's tokenizer).
 */
public record SpecialTokens(
        int bos, int eos, int pad, int mask,
        int soi, int eoi, int sov, int eov, int t2i, int mmu, int t2v, int v2v, int lvg, int iPad, int r2i,
        int startHeader, int endHeader, int eotId,
        int imageOffset, int codebookSize, int numVqTokens, int vocabSize) {

    /** Name of the token map file inside a model directory. */
    public static final String FILE = "mmada_tokens.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** MMaDA-8B (LLaDA-8B-Instruct tokenizer, 13-bit MAGVIT-v2 at 512 px). */
    public static SpecialTokens mmada8b() {
        return new SpecialTokens(126080, 126081, 126081, 126336,
                126084, 126085, 126086, 126087, 126088, 126089, 126090, 126091, 126092, 126093, 126094,
                126346, 126347, 126348,
                126349, 8192, 1024, 134656);
    }

    public SpecialTokens {
        if (codebookSize <= 0 || numVqTokens <= 0) {
            throw new IllegalArgumentException("codebook_size " + codebookSize + " and num_vq_tokens " + numVqTokens
                    + " must be positive");
        }
        if (imageOffset < 0 || (long) imageOffset + codebookSize > vocabSize) {
            throw new IllegalArgumentException("image tokens [" + imageOffset + ", " + ((long) imageOffset + codebookSize)
                    + ") do not fit the vocabulary of " + vocabSize);
        }
    }

    /** Token id of image code {@code code} ∈ [0, codebookSize). */
    public int imageToken(int code) {
        if (code < 0 || code >= codebookSize) {
            throw new IllegalArgumentException("image code " + code + " outside [0, " + codebookSize + ")");
        }
        return imageOffset + code;
    }

    /** Whether {@code id} is an image token. */
    /** {@code ids} with BOS first: the array itself when it already starts with BOS, else a copy (empty → [BOS]). */
    public int[] withBos(int[] ids) {
        if (ids.length > 0 && ids[0] == bos) {
            return ids;
        }
        int[] out = new int[ids.length + 1];
        out[0] = bos;
        System.arraycopy(ids, 0, out, 1, ids.length);
        return out;
    }

    public boolean isImageToken(int id) {
        return id >= imageOffset && id < imageOffset + codebookSize;
    }

    /**
     * Reads the map of {@code modelDir}; {@code tokenizerSize} (len(tokenizer)) is the offset when the
     * token map does not name one. Missing files fall back as the class comment says.
     */
    public static SpecialTokens load(Path modelDir, OptionalInt tokenizerSize) {
        SpecialTokens d = mmada8b();
        JsonNode config = readIfPresent(modelDir.resolve("config.json"));
        Path mapFile = modelDir.resolve(FILE);
        JsonNode map = readIfPresent(mapFile);
        Source s = new Source(map, mapFile, config, modelDir.resolve("config.json"));

        int vocab = s.get(new String[] {"vocab_size"}, new String[] {"embedding_size", "vocab_size", "new_vocab_size"},
                d.vocabSize());
        int eos = s.get(new String[] {"<|endoftext|>", "eos"}, new String[] {"eos_token_id"}, d.eos());
        int offset;
        OptionalInt fromMap = s.mapValue("image_token_offset");
        if (fromMap.isPresent()) {
            offset = fromMap.getAsInt();
            if (tokenizerSize.isPresent() && tokenizerSize.getAsInt() != offset) {
                throw new IllegalArgumentException(mapFile + ": image_token_offset " + offset
                        + " differs from the text tokenizer's size " + tokenizerSize.getAsInt()
                        + " (image token ids start at len(tokenizer))");
            }
        } else {
            offset = tokenizerSize.orElse(d.imageOffset());
        }
        SpecialTokens t = new SpecialTokens(
                s.get(new String[] {"<|startoftext|>", "bos"}, new String[] {"bos_token_id"}, d.bos()),
                eos,
                s.get(new String[] {"pad"}, new String[] {"pad_token_id"}, eos),
                s.get(new String[] {"<|mdm_mask|>", "mask"}, new String[] {"mask_token_id"}, d.mask()),
                s.get(new String[] {"<|soi|>"}, null, d.soi()),
                s.get(new String[] {"<|eoi|>"}, null, d.eoi()),
                s.get(new String[] {"<|sov|>"}, null, d.sov()),
                s.get(new String[] {"<|eov|>"}, null, d.eov()),
                s.get(new String[] {"<|t2i|>"}, null, d.t2i()),
                s.get(new String[] {"<|mmu|>"}, null, d.mmu()),
                s.get(new String[] {"<|t2v|>"}, null, d.t2v()),
                s.get(new String[] {"<|v2v|>"}, null, d.v2v()),
                s.get(new String[] {"<|lvg|>"}, null, d.lvg()),
                s.get(new String[] {"[iPAD]"}, null, d.iPad()),
                s.get(new String[] {"<|r2i|>"}, null, d.r2i()),
                s.get(new String[] {"<|start_header_id|>"}, null, d.startHeader()),
                s.get(new String[] {"<|end_header_id|>"}, null, d.endHeader()),
                s.get(new String[] {"<|eot_id|>"}, null, d.eotId()),
                offset,
                s.get(new String[] {"codebook_size"}, new String[] {"codebook_size"}, d.codebookSize()),
                s.get(new String[] {"num_vq_tokens"}, new String[] {"num_vq_tokens"}, d.numVqTokens()),
                vocab);
        t.checkIds(map != null ? mapFile : modelDir.resolve("config.json"));
        return t;
    }

    /** The map as written to {@value #FILE} (keys as the golden meta.json "tokens"). */
    public Map<String, Integer> toMap() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("<|startoftext|>", bos);
        m.put("<|endoftext|>", eos);
        m.put("pad", pad);
        m.put("<|mdm_mask|>", mask);
        m.put("<|soi|>", soi);
        m.put("<|eoi|>", eoi);
        m.put("<|sov|>", sov);
        m.put("<|eov|>", eov);
        m.put("<|t2i|>", t2i);
        m.put("<|mmu|>", mmu);
        m.put("<|t2v|>", t2v);
        m.put("<|v2v|>", v2v);
        m.put("<|lvg|>", lvg);
        m.put("[iPAD]", iPad);
        m.put("<|r2i|>", r2i);
        m.put("<|start_header_id|>", startHeader);
        m.put("<|end_header_id|>", endHeader);
        m.put("<|eot_id|>", eotId);
        m.put("image_token_offset", imageOffset);
        m.put("codebook_size", codebookSize);
        m.put("num_vq_tokens", numVqTokens);
        m.put("vocab_size", vocabSize);
        return m;
    }

    /** Writes {@link #toMap()} as {@code dir/}{@value #FILE}. */
    public void write(Path dir) throws IOException {
        Files.writeString(dir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toMap()) + "\n");
    }

    private void checkIds(Path where) {
        Map<String, Integer> m = toMap();
        for (Map.Entry<String, Integer> e : m.entrySet()) {
            int v = e.getValue();
            if (v < 0 || (v >= vocabSize && !e.getKey().equals("vocab_size") && !e.getKey().equals("codebook_size")
                    && !e.getKey().equals("num_vq_tokens"))) {
                throw new IllegalArgumentException(where + ": token '" + e.getKey() + "' = " + v
                        + " outside the vocabulary [0, " + vocabSize + ")");
            }
        }
    }

    private static JsonNode readIfPresent(Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException(file + ": expected a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": unreadable JSON", e);
        }
    }

    /** Lookup in the token map, then config.json, then the default; non-integers are errors naming the file. */
    private record Source(JsonNode map, Path mapFile, JsonNode config, Path configFile) {
        OptionalInt mapValue(String key) {
            return value(map, mapFile, key);
        }

        int get(String[] mapKeys, String[] configKeys, int fallback) {
            for (String k : mapKeys) {
                OptionalInt v = value(map, mapFile, k);
                if (v.isPresent()) {
                    return v.getAsInt();
                }
            }
            if (configKeys != null) {
                for (String k : configKeys) {
                    OptionalInt v = value(config, configFile, k);
                    if (v.isPresent()) {
                        return v.getAsInt();
                    }
                }
            }
            return fallback;
        }

        private static OptionalInt value(JsonNode obj, Path file, String key) {
            if (obj == null) {
                return OptionalInt.empty();
            }
            JsonNode n = obj.get(key);
            if (n == null || n.isNull()) {
                return OptionalInt.empty();
            }
            if (!n.canConvertToInt() || !n.isIntegralNumber()) {
                throw new IllegalArgumentException(file + ": field '" + key + "' must be an integer, got " + n);
            }
            return OptionalInt.of(n.intValue());
        }
    }
}
