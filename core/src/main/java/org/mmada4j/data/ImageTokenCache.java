package org.mmada4j.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.mmada4j.io.AtomicFiles;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.vq.Magvit;

/**
 * Tokenizes each training image once: codes are cached on disk under the SHA-256 of (tokenizer id,
 * resolution, image bytes), as little-endian int32 files written atomically, so later epochs and
 * later runs skip the image encoder.
 */
public final class ImageTokenCache {
    /** An image tokenizer (MAGVIT-v2): planar RGB [3, res, res] in [−1, 1] → codes. */
    public interface ImageTokenizer {
        int[] encode(float[] image, int resolution);

        /** Identifies the weights, so caches of different tokenizers never mix. */
        String id();

        /** MAGVIT-v2 loaded from {@code dir} (its absolute path is the id), encoding on {@code pool}. */
        static ImageTokenizer magvit(Magvit vq, Path dir, ComputePool pool) {
            String id = dir.toAbsolutePath().toString();
            return new ImageTokenizer() {
                @Override
                public int[] encode(float[] image, int resolution) {
                    return vq.encode(pool, image, resolution, resolution);
                }

                @Override
                public String id() {
                    return id;
                }
            };
        }
    }

    /**
     * Bumped when the pre-processing changes (v2: PIL-exact bicubic via {@code vq.ImageTransforms},
     * was AWT's), so codes cached by an older version are recomputed, never reused.
     */
    private static final String PREPROCESSING = "v2";

    private final Path dir;
    private final ImageTokenizer tokenizer;
    private final int resolution;
    private long hits;
    private long misses;

    public ImageTokenCache(Path dir, ImageTokenizer tokenizer, int resolution) throws IOException {
        this.dir = dir;
        this.tokenizer = tokenizer;
        this.resolution = resolution;
        Files.createDirectories(dir);
    }

    /** Codes of the image of {@code ref} (from the cache, or encoded and cached). */
    public int[] codes(TrainingExample.ImageRef ref, String source) {
        byte[] bytes = ImageLoader.bytes(ref, source);
        Path f = dir.resolve(key(bytes) + ".codes");
        try {
            if (Files.exists(f)) {
                byte[] b = Files.readAllBytes(f);
                if (b.length % 4 == 0 && b.length > 0) {
                    hits++;
                    int[] codes = new int[b.length / 4];
                    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(codes);
                    return codes;
                }
            }
            misses++;
            int[] codes = tokenizer.encode(ImageLoader.load(bytes, resolution, source), resolution);
            ByteBuffer out = ByteBuffer.allocate(codes.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            out.asIntBuffer().put(codes);
            AtomicFiles.write(f, out.array());
            return codes;
        } catch (IOException e) {
            throw new DataFormatException(source + ": image token cache " + f + ": " + e.getMessage(), e);
        }
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    private String key(byte[] bytes) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((tokenizer.id() + "|" + resolution + "|" + PREPROCESSING + "|").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            md.update(bytes);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
