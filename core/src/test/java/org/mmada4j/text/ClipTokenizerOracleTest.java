package org.mmada4j.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CLIP-layout tokenizer.json against the Rust library: normalizer Sequence[NFC, Replace(\s+ → " "),
 * Lowercase]; pre-tokenizer Sequence[Split(CLIP's regex, Removed, invert), ByteLevel without regex];
 * BPE with {@code end_of_word_suffix "</w>"} and an empty {@code continuing_subword_prefix}; BPEDecoder;
 * RobertaProcessing or TemplateProcessing adding {@code <|startoftext|>} … {@code <|endoftext|>} (ids at
 * the end of the vocabulary, as CLIP's 49406/49407), and truncation to 77 as CLIPProcessor asks.
 * The vocabulary is a trained byte-level one doubled with {@code </w>} forms, so merges exist both
 * inside and at the end of words.
 */
class ClipTokenizerOracleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** CLIP's split pattern, from openai/clip-vit-large-patch14's tokenizer.json. */
    static final String CLIP_SPLIT = "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]"
            + "|[^\\s\\p{L}\\p{N}]+";
    private static ObjectNode clip;
    private static List<String> corpus;
    @TempDir
    static Path dir;

    @BeforeAll
    static void setUp() throws IOException {
        String trained = BpeTrainer.train(BpeTrainerTest.brown("ca0[1-3]"),
                new BpeTrainer.Options(900, List.of("<|endoftext|>"), 2, false, null));
        clip = clipStyle((ObjectNode) JSON.readTree(trained));
        corpus = new ArrayList<>(BpeTokenizerOracleTest.sample(BpeTokenizerOracleTest.corpus(), 40));
        corpus.addAll(List.of("a photo of a cat", "A PHOTO   of\ta\n\nDog!!", "don't stop—it's 12345 o'clock",
                "Ünïcödé café naïve 東京 🐱 emoji", "  leading and trailing  ", "", " ", "x", "<|endoftext|> inside <|startoftext|>",
                "hello<|endoftext|>world", "e\u0301 composed by NFC", "tabs\tand\u00a0nbsp\u2003em-space", "?!...,;:",
                "supercalifragilisticexpialidocious " .repeat(20), "word ".repeat(100)));
    }

    /** The trained byte-level tokenizer turned into CLIP's layout. */
    static ObjectNode clipStyle(ObjectNode base) {
        ObjectNode v = base.deepCopy();
        ObjectNode model = (ObjectNode) v.get("model");
        ObjectNode vocab = JSON.createObjectNode();
        int id = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = model.get("vocab").fields(); it.hasNext(); ) {
            String tok = it.next().getKey();
            if (!tok.startsWith("<|")) {
                vocab.put(tok, id++);
                vocab.put(tok + "</w>", id++);
            }
        }
        int sot = id++;
        int eot = id;
        vocab.put("<|startoftext|>", sot);
        vocab.put("<|endoftext|>", eot);
        ArrayNode merges = JSON.createArrayNode();
        for (JsonNode m : model.get("merges")) {
            String a = m.get(0).asText();
            String b = m.get(1).asText();
            merges.add(JSON.createArrayNode().add(a).add(b));
            merges.add(JSON.createArrayNode().add(a).add(b + "</w>"));
        }
        model.set("vocab", vocab);
        model.set("merges", merges);
        model.put("continuing_subword_prefix", "");
        model.put("end_of_word_suffix", "</w>");
        model.put("unk_token", "<|endoftext|>");
        model.put("fuse_unk", false);
        ArrayNode added = JSON.createArrayNode();
        added.add(token(sot, "<|startoftext|>"));
        added.add(token(eot, "<|endoftext|>"));
        v.set("added_tokens", added);
        v.set("normalizer", node("{'type':'Sequence','normalizers':[{'type':'NFC'},{'type':'Replace','pattern':"
                + "{'Regex':'\\\\s+'},'content':' '},{'type':'Lowercase'}]}"));
        ObjectNode split = JSON.createObjectNode();
        split.put("type", "Split");
        split.putObject("pattern").put("Regex", CLIP_SPLIT);
        split.put("behavior", "Removed");
        split.put("invert", true);
        ObjectNode pre = JSON.createObjectNode();
        pre.put("type", "Sequence");
        pre.putArray("pretokenizers").add(split)
                .add(node("{'type':'ByteLevel','add_prefix_space':false,'trim_offsets':true,'use_regex':false}"));
        v.set("pre_tokenizer", pre);
        v.set("decoder", node("{'type':'BPEDecoder','suffix':'</w>'}"));
        v.set("post_processor", node("{'type':'RobertaProcessing','sep':['<|endoftext|>'," + eot + "],'cls':['<|startoftext|>',"
                + sot + "],'trim_offsets':false,'add_prefix_space':false}"));
        return v;
    }

    private static ObjectNode token(int id, String content) {
        ObjectNode t = JSON.createObjectNode();
        t.put("id", id).put("content", content).put("single_word", false).put("lstrip", false).put("rstrip", false)
                .put("normalized", true).put("special", true);
        return t;
    }

    private static JsonNode node(String json) {
        try {
            return JSON.readTree(json.replace('\'', '"'));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void check(String name, ObjectNode variant) throws IOException {
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, JSON.writeValueAsString(variant));
        BpeTokenizer ours = BpeTokenizer.load(file);
        try (HfOracle plain = new HfOracle(file); HfOracle special = new HfOracle(file, true, 77)) {
            for (String s : corpus) {
                int[] want = plain.encode(s);
                int[] got = ours.encode(s);
                if (!Arrays.equals(want, got)) {
                    fail(name + " ids of " + BpeTokenizerOracleTest.escape(s) + "\n  oracle "
                            + BpeTokenizerOracleTest.head(want) + "\n  ours   " + BpeTokenizerOracleTest.head(got));
                }
                int[] wantSpecial = special.encode(s);
                int[] gotSpecial = ours.encodeWithSpecialTokens(s, 77);
                if (!Arrays.equals(wantSpecial, gotSpecial)) {
                    fail(name + " ids with special tokens, max 77, of " + BpeTokenizerOracleTest.escape(s) + "\n  oracle "
                            + Arrays.toString(wantSpecial) + "\n  ours   " + Arrays.toString(gotSpecial));
                }
                assertEquals(plain.decode(got, true), ours.decode(got, true), name + " decode of " + s);
                assertEquals(plain.decode(gotSpecial, false), ours.decode(gotSpecial, false), name + " decode of " + s);
            }
        }
    }

    @Test
    void robertaProcessingMatchesTheOracle() throws IOException {
        check("clip-roberta", clip);
        BpeTokenizer ours = BpeTokenizer.load(dir.resolve("clip-roberta.json"));
        assertEquals(2, ours.specialTokensAdded());
        int[] long1 = ours.encodeWithSpecialTokens("word ".repeat(100), 77);
        assertEquals(77, long1.length);
        assertEquals(ours.tokenId("<|endoftext|>").getAsInt(), long1[76], "truncation keeps the end token");
        // Every word ends in a </w> token (odd ids in this layout), and merges reach them: fewer tokens than letters.
        int[] words = ours.encode("the cat sat");
        assertTrue(words.length < 9, Arrays.toString(words));
        assertEquals(3, Arrays.stream(words).filter(i -> i % 2 == 1).count(), Arrays.toString(words));
        assertTrue(corpus.size() > 50, "corpus of " + corpus.size());
    }

    @Test
    void templateProcessingMatchesTheOracle() throws IOException {
        ObjectNode v = clip.deepCopy();
        int sot = v.get("model").get("vocab").get("<|startoftext|>").asInt();
        int eot = v.get("model").get("vocab").get("<|endoftext|>").asInt();
        v.set("post_processor", node("{'type':'TemplateProcessing','single':[{'SpecialToken':{'id':'<|startoftext|>','type_id':0}},"
                + "{'Sequence':{'id':'A','type_id':0}},{'SpecialToken':{'id':'<|endoftext|>','type_id':0}}],"
                + "'pair':[{'Sequence':{'id':'A','type_id':0}},{'Sequence':{'id':'B','type_id':1}}],"
                + "'special_tokens':{'<|startoftext|>':{'id':'<|startoftext|>','ids':[" + sot + "],'tokens':['<|startoftext|>']},"
                + "'<|endoftext|>':{'id':'<|endoftext|>','ids':[" + eot + "],'tokens':['<|endoftext|>']}}}"));
        ((ObjectNode) v.get("added_tokens").get(0)).put("normalized", false);
        ((ObjectNode) v.get("added_tokens").get(1)).put("normalized", false);
        check("clip-template", v);
    }

    @Test
    void unknownPostProcessorStillEncodesButCannotAddSpecialTokens() throws IOException {
        ObjectNode v = clip.deepCopy();
        v.set("post_processor", node("{'type':'FancyProcessing'}"));
        Path file = dir.resolve("clip-fancy.json");
        Files.writeString(file, JSON.writeValueAsString(v));
        BpeTokenizer ours = BpeTokenizer.load(file);
        assertTrue(ours.encode("a cat").length > 0);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ours.encodeWithSpecialTokens("a cat", 77));
        assertTrue(e.getMessage().contains("FancyProcessing") && e.getMessage().contains("post_processor"), e.getMessage());
    }

    /** Real files: Llama-3's Sequence[ByteLevel, TemplateProcessing] adds <|begin_of_text|>; Qwen3's adds nothing. */
    @Test
    void realTokenizersAddTheOraclesSpecialTokens() {
        for (Path file : List.of(TokenizerFixtures.llama3(), TokenizerFixtures.qwen3())) {
            BpeTokenizer ours = BpeTokenizer.load(file);
            try (HfOracle special = new HfOracle(file, true, 0); HfOracle truncating = new HfOracle(file, true, 8)) {
                for (String s : corpus.subList(0, 30)) {
                    assertEquals(Arrays.toString(special.encode(s)), Arrays.toString(ours.encodeWithSpecialTokens(s)),
                            file + ": " + s);
                    assertEquals(Arrays.toString(truncating.encode(s)), Arrays.toString(ours.encodeWithSpecialTokens(s, 8)),
                            file + " max 8: " + s);
                }
            }
        }
    }
}
