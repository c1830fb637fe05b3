package org.mmada4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.testing.GoldenSet;

/**
 * Reads the training goldens' settings from meta.json and rebuilds their texts with the tiny sets'
 * byte-level stand-in tokenizer (byte b → {@code tokens.bytes[0] + b}, BOS prepended, special-token
 * names inside the text mapped to their ids).
 */
final class GoldenTrainingBatch {
    final GoldenSet set;
    final JsonNode batch;
    final JsonNode config;
    final SpecialTokens tokens;
    final int bt;
    final int bl;
    final int bm;
    final int length;
    final int maxSeq;
    final int vocab;

    GoldenTrainingBatch(GoldenSet set) {
        this.set = set;
        JsonNode train = set.meta().path("train");
        this.batch = train.path("batch");
        this.config = train.path("config");
        this.tokens = tokens(set);
        this.bt = batch.path("batch_size_t2i").asInt();
        this.bl = batch.path("batch_size_lm").asInt();
        this.bm = batch.path("batch_size_mmu").asInt();
        this.length = batch.path("L").asInt();
        this.maxSeq = batch.path("max_seq_length").asInt();
        this.vocab = set.config().path("vocab_size").asInt();
    }

    static SpecialTokens tokens(GoldenSet g) {
        return new SpecialTokens(g.token("<|startoftext|>"), g.token("<|endoftext|>"), g.token("<|endoftext|>"),
                g.token("<|mdm_mask|>"), g.token("<|soi|>"), g.token("<|eoi|>"), g.token("<|sov|>"), g.token("<|eov|>"),
                g.token("<|t2i|>"), g.token("<|mmu|>"), g.token("<|t2v|>"), g.token("<|v2v|>"), g.token("<|lvg|>"),
                g.token("[iPAD]"), g.token("<|r2i|>"), g.token("<|start_header_id|>"), g.token("<|end_header_id|>"),
                g.token("<|eot_id|>"), g.token("image_token_offset"), g.token("codebook_size"), g.token("num_vq_tokens"),
                g.token("vocab_size"));
    }

    List<String> texts(String key) {
        List<String> out = new ArrayList<>();
        batch.path(key).forEach(n -> out.add(n.asText()));
        return out;
    }

    double cfg(String key) {
        JsonNode n = config.get(key);
        if (n == null) {
            throw new AssertionError("meta.json train.config has no " + key);
        }
        return n.asDouble();
    }

    /** The byte-level stand-in tokenizer of the tiny golden sets. */
    int[] encode(String text) {
        Map<String, Integer> specials = new TreeMap<>();
        set.meta().path("tokens").fields().forEachRemaining(e -> {
            if (e.getKey().startsWith("<|") || e.getKey().startsWith("[")) {
                specials.put(e.getKey(), e.getValue().asInt());
            }
        });
        int byte0 = set.meta().path("tokens").path("bytes").get(0).asInt();
        List<Integer> ids = new ArrayList<>();
        ids.add(tokens.bos());
        byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String s = text;
        int i = 0;
        outer:
        while (i < s.length()) {
            for (Map.Entry<String, Integer> e : specials.entrySet()) {
                if (s.startsWith(e.getKey(), i)) {
                    ids.add(e.getValue());
                    i += e.getKey().length();
                    continue outer;
                }
            }
            for (byte b : String.valueOf(s.charAt(i)).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                ids.add(byte0 + (b & 0xff));
            }
            i++;
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    int[][] rows(String file, int from, int to) {
        long[] all = set.npy(file).longs();
        int l = set.npy(file).dim(-1);
        int[][] out = new int[to - from][l];
        for (int r = from; r < to; r++) {
            for (int j = 0; j < l; j++) {
                out[r - from][j] = Math.toIntExact(all[r * l + j]);
            }
        }
        return out;
    }

    float[] floats(String file) {
        return set.npy(file).floats();
    }

    int[] imageIds(String file, int row) {
        int[][] codes = rows(file, row, row + 1);
        int[] ids = new int[codes[0].length];
        for (int j = 0; j < ids.length; j++) {
            ids[j] = tokens.imageToken(codes[0][j]);
        }
        return ids;
    }

    static int[] flatten(int[][] rows) {
        int n = 0;
        for (int[] r : rows) {
            n += r.length;
        }
        int[] out = new int[n];
        int at = 0;
        for (int[] r : rows) {
            System.arraycopy(r, 0, out, at, r.length);
            at += r.length;
        }
        return out;
    }
}
