package org.mmada4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conformance with the reference library: on 600 mutated files with its recorded verdicts
 * (resources/io/safetensors/make_verdicts.py, safetensors 0.8), our reader accepts exactly the
 * files the reference accepts, and every rejection is a {@link CheckpointException} naming the file.
 */
class SafetensorsVerdictsTest {
    @TempDir
    Path dir;

    @Test
    void acceptsExactlyWhatTheReferenceAccepts() throws Exception {
        Path corpus = Path.of(getClass().getResource("/io/safetensors/verdicts.jsonl").toURI());
        Path file = dir.resolve("case.safetensors");
        List<String> disagreements = new ArrayList<>();
        int accepted = 0;
        int cases = 0;
        for (String line : Files.readAllLines(corpus)) {
            JsonNode c = SafetensorsHeader.JSON.readTree(line);
            Files.write(file, Base64.getDecoder().decode(c.path("file").asText()));
            boolean referenceAccepts = c.path("reference").asText().equals("accept");
            String ours;
            try (SafetensorsFile f = SafetensorsFile.open(file)) {
                for (String name : f.names()) {
                    MemorySegment b = f.bytes(name);
                    for (long i = 0; i < b.byteSize(); i++) {
                        b.get(ValueLayout.JAVA_BYTE, i);
                    }
                }
                ours = "accept";
                accepted++;
            } catch (CheckpointException e) {
                assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
                ours = "reject (" + e.getMessage() + ")";
            }
            if (referenceAccepts != ours.equals("accept")) {
                disagreements.add("case " + cases + ": reference " + c.path("reference").asText() + ", ours " + ours);
            }
            cases++;
        }
        assertEquals(List.of(), disagreements);
        assertEquals(601, cases);
        assertTrue(accepted > 10 && accepted < cases - 100, "accepted " + accepted);
    }
}
