package org.mmada4j.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each normalizer, pre-tokenizer, added-token option, model option and decoder that real
 * tokenizer.json files use, checked against the Rust library: a small vocabulary (trained here) is
 * wired into variant pipelines, and ids and decoded text must equal the oracle's on the corpus.
 */
class ComponentOracleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ObjectNode base;
    private static List<String> corpus;
    @TempDir
    static Path dir;

    @BeforeAll
    static void setUp() throws IOException {
        String json = BpeTrainer.train(BpeTrainerTest.brown("ca0[1-5]"),
                new BpeTrainer.Options(1200, List.of("<|endoftext|>"), 2, false, null));
        base = (ObjectNode) JSON.readTree(json);
        corpus = new ArrayList<>(BpeTokenizerOracleTest.sample(BpeTokenizerOracleTest.corpus(), 12));
        SplittableRandom r = new SplittableRandom(3);
        String[] inserts = {"<mask>", " <mask> ", "[SEP]", "[SEP]  x", "hello", "ahello", "hello_", "WORLD", "World",
            "  <mask>", "<|endoftext|>"};
        for (int i = 0; i < 300; i++) {
            String s = corpus.get(r.nextInt(corpus.size()));
            int at = r.nextInt(s.length() + 1);
            if (at < s.length() && Character.isLowSurrogate(s.charAt(at))) {
                at--;
            }
            corpus.add(s.substring(0, at) + inserts[r.nextInt(inserts.length)] + s.substring(at));
        }
    }

    private static JsonNode node(String json) {
        try {
            return JSON.readTree(json.replace('\'', '"'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ids and decodes of ours equal the oracle's on the corpus for this variant of the base tokenizer. */
    private static void check(String name, ObjectNode variant) throws IOException {
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, JSON.writeValueAsString(variant));
        BpeTokenizer ours = BpeTokenizer.load(file);
        try (HfOracle oracle = new HfOracle(file)) {
            int[][] expected = oracle.encodeAll(corpus);
            for (int i = 0; i < corpus.size(); i++) {
                int[] got = ours.encode(corpus.get(i));
                if (!Arrays.equals(expected[i], got)) {
                    fail(name + ": " + BpeTokenizerOracleTest.escape(corpus.get(i)) + "\n  oracle "
                            + BpeTokenizerOracleTest.head(expected[i]) + "\n  ours   " + BpeTokenizerOracleTest.head(got));
                }
                if (i % 4 == 0) {
                    boolean skip = i % 8 == 0;
                    assertEquals(oracle.decode(got, skip), ours.decode(got, skip), name + " decode of #" + i);
                }
            }
        }
    }

    private static ObjectNode withPre(String preTokenizer) {
        ObjectNode v = base.deepCopy();
        v.set("pre_tokenizer", node(preTokenizer));
        return v;
    }

    @Test
    void gpt2ByteLevelWithPrefixSpace() throws IOException {
        check("gpt2", withPre("{'type':'ByteLevel','add_prefix_space':true,'trim_offsets':true,'use_regex':true}"));
    }

    @Test
    void splitBehavioursAndInvert() throws IOException {
        String bl = "{'type':'ByteLevel','add_prefix_space':false,'trim_offsets':false,'use_regex':false}";
        for (String behavior : List.of("Removed", "Isolated", "MergedWithPrevious", "MergedWithNext", "Contiguous")) {
            for (boolean invert : List.of(false, true)) {
                check("split-" + behavior + "-" + invert, withPre("{'type':'Sequence','pretokenizers':[{'type':'Split',"
                        + "'pattern':{'Regex':'\\\\s+|\\\\p{P}'},'behavior':'" + behavior + "','invert':" + invert + "}," + bl + "]}"));
            }
        }
        check("split-scripts", withPre("{'type':'Sequence','pretokenizers':[{'type':'Split','pattern':{'Regex':"
                + "'\\\\p{Han}+|\\\\p{Hiragana}+|\\\\p{Katakana}+|\\\\p{Hangul}+|\\\\p{Greek}+|\\\\p{^L}+|\\\\h+|\\\\d+|\\\\w+'},"
                + "'behavior':'Isolated','invert':false}," + bl + "]}"));
        check("split-string", withPre("{'type':'Sequence','pretokenizers':[{'type':'Split','pattern':{'String':' '},"
                + "'behavior':'MergedWithNext','invert':false}," + bl + "]}"));
    }

    @Test
    void digitsWhitespacePunctuationMetaspace() throws IOException {
        String bl = "{'type':'ByteLevel','add_prefix_space':false,'trim_offsets':false,'use_regex':true}";
        String blNoRegex = "{'type':'ByteLevel','add_prefix_space':false,'trim_offsets':false,'use_regex':false}";
        check("digits-single", withPre("{'type':'Sequence','pretokenizers':[{'type':'Digits','individual_digits':true}," + bl + "]}"));
        check("digits-runs", withPre("{'type':'Sequence','pretokenizers':[{'type':'Digits','individual_digits':false}," + bl + "]}"));
        check("whitespace", withPre("{'type':'Sequence','pretokenizers':[{'type':'Whitespace'}," + blNoRegex + "]}"));
        check("whitespace-split", withPre("{'type':'Sequence','pretokenizers':[{'type':'WhitespaceSplit'}," + blNoRegex + "]}"));
        check("punctuation", withPre("{'type':'Sequence','pretokenizers':[{'type':'Punctuation','behavior':'Isolated'}," + blNoRegex + "]}"));
        for (String scheme : List.of("always", "first", "never")) {
            ObjectNode v = withPre("{'type':'Sequence','pretokenizers':[{'type':'Metaspace','replacement':'\u2581',"
                    + "'prepend_scheme':'" + scheme + "','split':true}," + blNoRegex + "]}");
            v.set("decoder", node("{'type':'Sequence','decoders':[" + blNoRegex + ",{'type':'Metaspace',"
                    + "'replacement':'\u2581','prepend_scheme':'" + scheme + "','split':true}]}"));
            check("metaspace-" + scheme, v);
        }
    }

    @Test
    void normalizers() throws IOException {
        for (String n : List.of("{'type':'NFC'}", "{'type':'NFD'}", "{'type':'NFKC'}", "{'type':'NFKD'}", "{'type':'Lowercase'}",
                "{'type':'Sequence','normalizers':[{'type':'NFD'},{'type':'StripAccents'},{'type':'Lowercase'}]}",
                "{'type':'Strip','strip_left':true,'strip_right':true}",
                "{'type':'Sequence','normalizers':[{'type':'Prepend','prepend':'>> '},{'type':'Replace','pattern':{'String':' '},'content':'__'}]}",
                "{'type':'Replace','pattern':{'Regex':'\\\\s{2,}'},'content':' '}")) {
            ObjectNode v = base.deepCopy();
            v.set("normalizer", node(n));
            check("normalizer-" + n.hashCode(), v);
        }
    }

    @Test
    void addedTokenOptions() throws IOException {
        ObjectNode v = base.deepCopy();
        v.set("normalizer", node("{'type':'Lowercase'}"));
        ArrayNode added = (ArrayNode) v.get("added_tokens");
        int next = base.get("model").get("vocab").size();
        added.add(node("{'id':" + next + ",'content':'<mask>','single_word':false,'lstrip':true,'rstrip':false,'normalized':false,'special':true}"));
        added.add(node("{'id':" + (next + 1) + ",'content':'[SEP]','single_word':false,'lstrip':false,'rstrip':true,'normalized':false,'special':true}"));
        added.add(node("{'id':" + (next + 2) + ",'content':'hello','single_word':true,'lstrip':false,'rstrip':false,'normalized':true,'special':false}"));
        added.add(node("{'id':" + (next + 3) + ",'content':'WORLD','single_word':false,'lstrip':false,'rstrip':false,'normalized':true,'special':false}"));
        check("added-options", v);
    }

    /** A Llama-2-style (SentencePiece BPE) pipeline: ▁ for spaces, no pre-tokenizer, byte fallback, unk. */
    @Test
    void sentencePieceStyleByteFallbackAndUnk() throws IOException {
        ObjectNode v = base.deepCopy();
        ObjectNode model = (ObjectNode) v.get("model");
        ObjectNode vocab = JSON.createObjectNode();
        vocab.put("<unk>", 0);
        for (int b = 0; b < 256; b++) {
            vocab.put(String.format("<0x%02X>", b), 1 + b);
        }
        int id = 257;
        for (Iterator<Map.Entry<String, JsonNode>> it = model.get("vocab").fields(); it.hasNext(); ) {
            String tok = it.next().getKey().replace('\u0120', '\u2581');
            if (!tok.startsWith("<|") && !vocab.has(tok) && tok.chars().allMatch(c -> c == 0x2581 || (c > 32 && c < 127))) {
                vocab.put(tok, id++);
            }
        }
        ArrayNode merges = JSON.createArrayNode();
        for (JsonNode m : model.get("merges")) {
            String a = m.get(0).asText().replace('\u0120', '\u2581'), b = m.get(1).asText().replace('\u0120', '\u2581');
            if (vocab.has(a) && vocab.has(b) && vocab.has(a + b)) {
                merges.add(a + " " + b);
            }
        }
        model.set("vocab", vocab);
        model.set("merges", merges);
        model.put("byte_fallback", true);
        model.put("unk_token", "<unk>");
        model.put("fuse_unk", true);
        v.set("added_tokens", node("[{'id':0,'content':'<unk>','single_word':false,'lstrip':false,'rstrip':false,'normalized':false,'special':true}]"));
        v.set("normalizer", node("{'type':'Sequence','normalizers':[{'type':'Prepend','prepend':'\u2581'},"
                + "{'type':'Replace','pattern':{'String':' '},'content':'\u2581'}]}"));
        v.putNull("pre_tokenizer");
        v.set("decoder", node("{'type':'Sequence','decoders':[{'type':'Replace','pattern':{'String':'\u2581'},'content':' '},"
                + "{'type':'ByteFallback'},{'type':'Fuse'},{'type':'Strip','content':' ','start':1,'stop':0}]}"));
        check("sentencepiece-byte-fallback", v);
        model.put("byte_fallback", false);
        check("sentencepiece-unk-fused", v);
        model.put("fuse_unk", false);
        check("sentencepiece-unk", v);
    }
}
