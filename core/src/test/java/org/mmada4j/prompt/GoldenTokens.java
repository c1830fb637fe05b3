package org.mmada4j.prompt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.mmada4j.testing.GoldenSet;

/** The special-token map of a golden set, loaded the way a model directory is (token map file + config.json). */
public final class GoldenTokens {
    private GoldenTokens() {
    }

    public static SpecialTokens of(GoldenSet g) {
        try {
            Path dir = Files.createTempDirectory("mmada-tokens");
            Files.copy(g.file("config.json"), dir.resolve("config.json"));
            var t = g.meta().path("tokens");
            StringBuilder sb = new StringBuilder("{");
            t.fieldNames().forEachRemaining(k -> {
                if (t.get(k).isInt()) {
                    sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":").append(t.get(k).asInt());
                }
            });
            sb.append('}');
            Files.writeString(dir.resolve(SpecialTokens.FILE), sb.toString());
            SpecialTokens s = SpecialTokens.load(dir, OptionalInt.of(t.path("text_tokenizer_len").asInt()));
            Files.delete(dir.resolve(SpecialTokens.FILE));
            Files.delete(dir.resolve("config.json"));
            Files.delete(dir);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
