package org.mmada4j.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A JSONL file of one {@link ExampleKind}, indexed by line start offsets (one pass at open, 8 bytes
 * per line), so examples are read on demand in any order — what seeded shuffling and exact resume
 * need — without holding the file in memory. Blank lines are not examples.
 */
public final class JsonlDataset implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final ExampleKind kind;
    private final long[] offsets;    // start of each non-blank line
    private final int[] lineNumbers; // 1-based line number of each
    private final RandomAccessFile raf;

    private JsonlDataset(Path file, ExampleKind kind, long[] offsets, int[] lineNumbers) throws IOException {
        this.file = file;
        this.kind = kind;
        this.offsets = offsets;
        this.lineNumbers = lineNumbers;
        this.raf = new RandomAccessFile(file.toFile(), "r");
    }

    public static JsonlDataset open(Path file, ExampleKind kind) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("dataset " + file + " does not exist or is not a file");
        }
        long[] offs = new long[1024];
        int[] lines = new int[1024];
        int n = 0;
        try (var in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            long pos = 0;
            long lineStart = 0;
            int line = 1;
            boolean blank = true;
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    if (!blank) {
                        if (n == offs.length) {
                            offs = Arrays.copyOf(offs, n * 2);
                            lines = Arrays.copyOf(lines, n * 2);
                        }
                        offs[n] = lineStart;
                        lines[n++] = line;
                    }
                    line++;
                    lineStart = pos + 1;
                    blank = true;
                } else if (c != ' ' && c != '\t' && c != '\r') {
                    blank = false;
                }
                pos++;
            }
            if (!blank) {
                if (n == offs.length) {
                    offs = Arrays.copyOf(offs, n + 1);
                    lines = Arrays.copyOf(lines, n + 1);
                }
                offs[n] = lineStart;
                lines[n++] = line;
            }
        }
        return new JsonlDataset(file, kind, Arrays.copyOf(offs, n), Arrays.copyOf(lines, n));
    }

    public Path file() {
        return file;
    }

    public ExampleKind kind() {
        return kind;
    }

    /** Number of non-blank lines. */
    public int size() {
        return offsets.length;
    }

    /** Parses example {@code i}; a malformed line throws {@link DataFormatException} naming file, line and field. */
    public synchronized TrainingExample read(int i) {
        String source = file + ":" + lineNumbers[i];
        String text;
        try {
            raf.seek(offsets[i]);
            long end = i + 1 < offsets.length ? offsets[i + 1] : raf.length();
            byte[] b = new byte[(int) (end - offsets[i])];
            raf.readFully(b);
            text = new String(b, StandardCharsets.UTF_8).strip();
            int nl = text.indexOf('\n');
            if (nl >= 0) {
                text = text.substring(0, nl).strip(); // blank lines between examples
            }
        } catch (IOException e) {
            throw new DataFormatException(source + ": cannot read: " + e.getMessage(), e);
        }
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (IOException e) {
            throw new DataFormatException(source + ": not valid JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        return kind.read(n, source, file.toAbsolutePath().getParent());
    }

    @Override
    public void close() throws IOException {
        raf.close();
    }
}
