package org.mmada4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmada4j.tensor.DType;
import org.mmada4j.tensor.Tensor;

/**
 * Seeded mutations of valid files (header bytes, JSON numbers, the length prefix, truncation,
 * appended bytes): each either loads — and then every exposed tensor reads fully, inside the
 * file — or fails with a {@link CheckpointException} naming the file. Any other outcome fails
 * the test with the seed and iteration that reproduce it.
 */
class SafetensorsFuzzTest {
    private static final long SEED = 0x5AFE_7E45L;
    private static final int ITERATIONS = 3000;

    @TempDir
    Path dir;

    @Test
    void mutatedFilesLoadCorrectlyOrFailClearly() throws Exception {
        Path source = dir.resolve("source.safetensors");
        SafetensorsWriter.write(source, List.of(
                TensorSpec.of("emb", DType.BF16, 5, 3),
                TensorSpec.of("blocks.0.w", DType.F32, 2, 2),
                TensorSpec.of("scale", DType.F8_E8M0, 4),
                TensorSpec.of("packed", DType.F4, 6),
                TensorSpec.of("mx6", DType.F6_E3M2, 4),
                TensorSpec.of("empty", DType.I64, 0),
                TensorSpec.of("step", DType.I64)), Map.of("format", "pt"), SafetensorsRoundTripTest.PATTERN);
        byte[] valid = Files.readAllBytes(source);
        int headerEnd = 8 + (int) ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        Path file = dir.resolve("fuzz.safetensors");
        SplittableRandom rnd = new SplittableRandom(SEED);
        int loaded = 0;
        int[] rejected = new int[1];
        for (int it = 0; it < ITERATIONS; it++) {
            byte[] bytes = mutate(valid, headerEnd, rnd);
            Files.write(file, bytes);
            try (SafetensorsFile f = SafetensorsFile.open(file)) {
                readEverything(f, bytes.length);
                loaded++;
            } catch (CheckpointException e) {
                assertTrue(e.getMessage().startsWith(file + ": "), "iteration " + it + ": " + e.getMessage());
                rejected[0]++;
            } catch (Throwable t) {
                throw new AssertionError("seed " + SEED + " iteration " + it + ": unexpected " + t, t);
            }
        }
        // Both outcomes must actually occur, or the mutations are not exercising the parser.
        assertTrue(loaded > 100 && rejected[0] > 1000, "loaded " + loaded + ", rejected " + rejected[0]);
    }

    @Test
    void mutatedIndexesOpenConsistentlyOrFailClearly() throws Exception {
        Path ckpt = dir.resolve("sharded");
        List<TensorSpec> specs = List.of(TensorSpec.of("a", DType.F32, 4), TensorSpec.of("b", DType.BF16, 8),
                TensorSpec.of("c", DType.U8, 16), TensorSpec.of("d", DType.F16, 8));
        SafetensorsWriter.writeSharded(ckpt, specs, Map.of(), 16, SafetensorsRoundTripTest.PATTERN);
        Path index = ckpt.resolve(Checkpoint.INDEX_NAME);
        byte[] valid = Files.readAllBytes(index);
        SplittableRandom rnd = new SplittableRandom(SEED + 1);
        int opened = 0;
        for (int it = 0; it < 800; it++) {
            byte[] b = valid.clone();
            switch (rnd.nextInt(4)) {
                case 0 -> b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> b[rnd.nextInt(b.length)] = (byte) "{}[],:\"0123456789./ abcd".charAt(rnd.nextInt(24));
                case 2 -> b = Arrays.copyOf(b, rnd.nextInt(b.length));
                default -> { // point a tensor at another shard
                    String text = new String(b, StandardCharsets.UTF_8);
                    int at = text.indexOf("-of-", rnd.nextInt(text.length()));
                    if (at > 0) {
                        b[at - 1] = (byte) ('0' + rnd.nextInt(1, 5));
                    }
                }
            }
            Files.write(index, b);
            try (Checkpoint c = Checkpoint.open(ckpt)) {
                assertTrue(c.names().size() <= specs.size(), "iteration " + it);
                for (String name : c.names()) {
                    SafetensorsRoundTripTest.assertPattern(name, c.bytes(name));
                }
                opened++;
            } catch (CheckpointException e) {
                assertTrue(e.file().startsWith(ckpt) && e.getMessage().startsWith(e.file() + ": "), "iteration " + it + ": " + e.getMessage());
            } catch (Throwable t) {
                throw new AssertionError("seed " + (SEED + 1) + " iteration " + it + ": unexpected " + t, t);
            }
        }
        assertTrue(opened > 25, "opened " + opened);
    }

    /** Reads every byte of every tensor; the sum of their sizes must fit in the file. */
    private static void readEverything(SafetensorsFile f, long fileSize) throws CheckpointException {
        long total = 0;
        for (String name : f.names()) {
            TensorSpec spec = f.spec(name);
            MemorySegment bytes = f.bytes(name);
            assertEquals(spec.byteSize(), bytes.byteSize(), name);
            long sum = 0;
            for (long i = 0; i < bytes.byteSize(); i++) {
                sum += bytes.get(ValueLayout.JAVA_BYTE, i);
            }
            total += bytes.byteSize() + (sum & 0); // the loop above is the read; sum only keeps it alive
            if (spec.dtype().isByteAddressable()) {
                Tensor t = f.get(name);
                if (t.dtype().isComputeStorage()) {
                    for (long i = 0; i < t.size(); i++) {
                        t.getFloat(i);
                    }
                }
            }
        }
        assertTrue(total <= fileSize - 8, "tensors larger than the file");
    }

    static byte[] mutate(byte[] valid, int headerEnd, SplittableRandom rnd) {
        byte[] b = valid.clone();
        int kind = rnd.nextInt(8);
        switch (kind) {
            case 0 -> { // flip a few header bytes
                for (int i = rnd.nextInt(1, 4); i > 0; i--) {
                    b[rnd.nextInt(8, headerEnd)] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 1 -> b[rnd.nextInt(8, headerEnd)] = (byte) "{}[],:\"0123456789-. eE\\".charAt(rnd.nextInt(23));
            case 2 -> { // rewrite one JSON number (a shape dim or an offset)
                String h = new String(b, 8, headerEnd - 8, StandardCharsets.ISO_8859_1);
                int at = nthDigitRun(h, rnd);
                if (at >= 0) {
                    int end = at;
                    while (end < h.length() && Character.isDigit(h.charAt(end))) {
                        end++;
                    }
                    long old = Long.parseLong(h.substring(at, end));
                    long[] choices = {0, old + 1, old - 1, old * 2, old + 8, Long.MAX_VALUE, 1L << 62, rnd.nextLong(0, 200)};
                    String replaced = h.substring(0, at) + choices[rnd.nextInt(choices.length)] + h.substring(end);
                    b = withHeader(replaced.getBytes(StandardCharsets.ISO_8859_1), Arrays.copyOfRange(valid, headerEnd, valid.length));
                }
            }
            case 3 -> { // length prefix: near, far, or random
                long n = headerEnd - 8;
                long[] choices = {n + 1, n - 1, n + 8, n - 8, 0, b.length, b.length - 7, -1L, rnd.nextLong()};
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, choices[rnd.nextInt(choices.length)]);
            }
            case 4 -> b = Arrays.copyOf(b, rnd.nextInt(b.length)); // truncation
            case 5 -> b = Arrays.copyOf(b, b.length + rnd.nextInt(1, 16)); // appended bytes
            case 6 -> { // delete or duplicate a header byte, keeping the prefix consistent
                String h = new String(b, 8, headerEnd - 8, StandardCharsets.ISO_8859_1);
                int at = rnd.nextInt(h.length());
                String m = rnd.nextBoolean() ? h.substring(0, at) + h.substring(at + 1) : h.substring(0, at) + h.charAt(at) + h.substring(at);
                b = withHeader(m.getBytes(StandardCharsets.ISO_8859_1), Arrays.copyOfRange(valid, headerEnd, valid.length));
            }
            default -> { // random bytes anywhere in the first 64
                for (int i = rnd.nextInt(1, 3); i > 0; i--) {
                    b[rnd.nextInt(Math.min(64, b.length))] = (byte) rnd.nextInt(256);
                }
            }
        }
        return b;
    }

    private static int nthDigitRun(String h, SplittableRandom rnd) {
        int runs = 0;
        for (int i = 0; i < h.length(); i++) {
            if (Character.isDigit(h.charAt(i)) && (i == 0 || !Character.isDigit(h.charAt(i - 1))) && h.charAt(i - 1) != '"') {
                runs++;
            }
        }
        if (runs == 0) {
            return -1;
        }
        int target = rnd.nextInt(runs);
        for (int i = 0; i < h.length(); i++) {
            if (Character.isDigit(h.charAt(i)) && (i == 0 || !Character.isDigit(h.charAt(i - 1))) && h.charAt(i - 1) != '"') {
                if (target-- == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static byte[] withHeader(byte[] header, byte[] data) {
        return ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).put(data).array();
    }
}
