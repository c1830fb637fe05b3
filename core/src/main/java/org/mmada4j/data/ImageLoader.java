package org.mmada4j.data;

import java.io.IOException;
import java.nio.file.Files;
import org.mmada4j.vq.ImageFiles;
import org.mmada4j.vq.ImageTransforms;
import org.mmada4j.vq.RgbImage;

/**
 * A dataset image through the same pre-processing as inference ({@link ImageFiles}: PIL's RGB
 * conversion, decompression bombs refused from the header; {@link ImageTransforms}: the reference's
 * {@code image_transform}, shorter side to {@code resolution} with PIL's bicubic, centre crop), so
 * training and inference see identical codes for one image.
 */
public final class ImageLoader {
    private ImageLoader() {
    }

    /** The raw bytes of an image reference; a missing file is an error naming it and the line. */
    public static byte[] bytes(TrainingExample.ImageRef ref, String source) {
        if (ref.bytes() != null) {
            return ref.bytes();
        }
        try {
            if (!Files.isRegularFile(ref.path())) {
                throw new DataFormatException(source + ": image " + ref.path() + " does not exist");
            }
            return Files.readAllBytes(ref.path());
        } catch (IOException e) {
            throw new DataFormatException(source + ": cannot read image " + ref.path() + ": " + e.getMessage(), e);
        }
    }

    /** Decoded, resized and centre-cropped to {@code resolution²}; errors name the image and the line. */
    public static RgbImage loadRgb(byte[] bytes, int resolution, String what) {
        try {
            return ImageTransforms.resizeCenterCrop(ImageFiles.decode(bytes, what), resolution);
        } catch (IOException e) {
            throw new DataFormatException(what + ": image cannot be decoded: " + e.getMessage(), e);
        }
    }

    /** {@link #loadRgb} as planar RGB {@code [3, res, res]} in [−1, 1], the MAGVIT-v2 input. */
    public static float[] load(byte[] bytes, int resolution, String what) {
        return ImageTransforms.toModelInput(loadRgb(bytes, resolution, what));
    }
}
