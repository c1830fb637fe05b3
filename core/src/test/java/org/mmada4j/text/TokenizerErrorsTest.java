package org.mmada4j.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Bad tokenizer.json files and bad text give errors that name the file and field; encode is thread-safe. */
class TokenizerErrorsTest {
    private static final String OK_MODEL = "'model':{'type':'BPE','vocab':{'a':0,'b':1,'ab':2},'merges':['a b']}";

    private static String json(String body) {
        return ("{" + body + "}").replace('\'', '"');
    }

    private static String message(String body) {
        return assertThrows(TokenizerFormatException.class, () -> BpeTokenizer.fromJson(json(body), "bad.json")).getMessage();
    }

    @Test
    void wellFormedMinimalTokenizerWorks() {
        BpeTokenizer t = BpeTokenizer.fromJson(json(OK_MODEL), "ok.json");
        assertArrayEquals(new int[] {2, 0}, t.encode("aba"));
        assertArrayEquals(new int[] {0, 2, 1}, t.encode("aabb"));
        assertEquals("ab a b", t.decode(new int[] {2, 0, 1}, false), "no decoder: tokens joined by spaces, as the library does");
    }

    @Test
    void malformedFilesNameTheField() {
        assertEquals("bad.json: field 'model': missing", message("'normalizer':null"));
        assertTrue(message("'model':{'type':'WordPiece','vocab':{}}").contains("field 'model.type': unsupported model 'WordPiece'"));
        assertTrue(message("'model':{'type':'BPE','vocab':{'a':0},'merges':['a c']}")
                .contains("field 'model.merges[0]': token 'c' is not in model.vocab"));
        assertTrue(message("'model':{'type':'BPE','vocab':{'a':0,'b':1},'merges':[['a','b']]}")
                .contains("field 'model.merges[0]': merged token 'ab' is not in model.vocab"));
        assertTrue(message("'model':{'type':'BPE','vocab':{'a':0,'b':1},'merges':['a b c']}").contains("model.merges[0]"));
        assertTrue(message("'model':{'type':'BPE','vocab':{'a':-1},'merges':[]}").contains("model.vocab.a"));
        assertTrue(message("'model':{'type':'BPE','vocab':{'a':0}}").contains("model.merges"));
        assertTrue(message("'model':{'type':'BPE','vocab':{'a':0},'merges':[],'unk_token':'<unk>'}").contains("model.unk_token"));
        assertTrue(message("'model':{'type':'BPE','dropout':0.1,'vocab':{'a':0},'merges':[]}").contains("model.dropout"));
        assertTrue(message("'normalizer':{'type':'Precompiled'}," + OK_MODEL).contains("field 'normalizer.type': unsupported normalizer 'Precompiled'"));
        assertTrue(message("'pre_tokenizer':{'type':'Sequence','pretokenizers':[{'type':'BertPreTokenizer'}]}," + OK_MODEL)
                .contains("field 'pre_tokenizer.pretokenizers[0].type': unsupported pre-tokenizer 'BertPreTokenizer'"));
        assertTrue(message("'pre_tokenizer':{'type':'Split','pattern':{'Regex':'('},'behavior':'Isolated'}," + OK_MODEL)
                .contains("field 'pre_tokenizer.pattern.Regex': regex does not compile"));
        assertTrue(message("'pre_tokenizer':{'type':'Split','pattern':{'Regex':'a'},'behavior':'Sideways'}," + OK_MODEL)
                .contains("pre_tokenizer.behavior"));
        assertTrue(message("'decoder':{'type':'WordPiece'}," + OK_MODEL).contains("field 'decoder.type': unsupported decoder 'WordPiece'"));
        assertTrue(message("'added_tokens':[{'content':'x'}]," + OK_MODEL).contains("added_tokens[0]"));
        assertTrue(message("'model':").contains("not valid JSON"));
        assertTrue(assertThrows(TokenizerFormatException.class, () -> BpeTokenizer.fromJson("[1]", "arr.json"))
                .getMessage().contains("arr.json"));
    }

    @Test
    void missingFileIsNamed() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> BpeTokenizer.load(Path.of("no/such/tokenizer.json")));
        assertTrue(e.getMessage().contains("no/such/tokenizer.json"));
    }

    @Test
    void loneSurrogatesAreRefused() {
        BpeTokenizer t = BpeTokenizer.fromJson(json(OK_MODEL), "ok.json");
        String msg = assertThrows(IllegalArgumentException.class, () -> t.encode("ab\uD83D")).getMessage();
        assertTrue(msg.contains("lone UTF-16 surrogate U+D83D at index 2"), msg);
        assertThrows(IllegalArgumentException.class, () -> t.encode("\uDE00ab"));
        assertThrows(IllegalArgumentException.class, () -> t.encode("a\uDE00\uD83Db"));
        assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {7}, false));
    }

    @Test
    void concurrentEncodesEqualSequentialOnes() throws Exception {
        BpeTokenizer t = BpeTokenizer.load(TokenizerFixtures.qwen3());
        List<String> corpus = BpeTokenizerOracleTest.sample(BpeTokenizerOracleTest.corpus(), 5);
        List<int[]> expected = new ArrayList<>();
        BpeTokenizer fresh = BpeTokenizer.load(TokenizerFixtures.qwen3());
        for (String s : corpus) {
            expected.add(fresh.encode(s));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                int offset = k;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < corpus.size(); i++) {
                        int j = (i + offset * 97) % corpus.size();
                        assertArrayEquals(expected.get(j), t.encode(corpus.get(j)));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
