package org.mmada4j.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mmada4j.io.Npy;
import org.mmada4j.io.NpyArray;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.vq.ImageFiles;
import org.mmada4j.vq.ImageTransforms;
import org.mmada4j.vq.Magvit;
import org.mmada4j.vq.RgbImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mmada4j image encode}: a PNG or JPEG to MAGVIT-v2 codes, with MMaDA's pre-processing
 * ({@code image_transform}: shorter side to the size, antialiased bicubic, centre crop; or
 * {@code image_transform_squash}; or none). Codes are int64 {@code [1, N]} for a square grid (the
 * reference layout), {@code [1, gh, gw]} for a rectangular one.
 */
@Command(name = "encode", mixinStandardHelpOptions = true, description = "Encode an image into MAGVIT-v2 codes (.npy).")
public final class ImageEncodeCommand implements Callable<Integer> {
    /** How the image is brought to the model's input size. */
    enum Resize { crop, squash, none }

    @Option(names = "--vq", description = "MAGVIT directory (pytorch_model.safetensors + config.json; default models/magvit-tiny).")
    Path vq;

    @Parameters(index = "0", description = "Input image (PNG or JPEG).")
    Path image;

    @Option(names = {"-o", "--output"}, required = true, description = "int64 codes (.npy).")
    Path output;

    @Option(names = "--size", defaultValue = "0",
            description = "Square side after pre-processing (default: the model's configured resolution).")
    int size;

    @Option(names = "--resize", defaultValue = "crop",
            description = "crop (shorter side + centre crop, default), squash (both sides), none (as is; sides must be multiples of the downsampling factor).")
    Resize resize;

    @Override
    public Integer call() throws Exception {
        Magvit m = VqCodes.load(vq);
        int side = size > 0 ? size : m.config().encoder().resolution();
        RgbImage img = ImageFiles.read(image);
        RgbImage in = switch (resize) {
            case crop -> ImageTransforms.resizeCenterCrop(img, side);
            case squash -> ImageTransforms.squash(img, side, side);
            case none -> img;
        };
        int f = m.downsampleFactor();
        if (in.width() % f != 0 || in.height() % f != 0) {
            throw new IllegalArgumentException(image + ": " + in.width() + "x" + in.height()
                    + " is not a multiple of the downsampling factor " + f + " (use --size or --resize)");
        }
        long t0 = System.nanoTime();
        int[] codes = m.encode(ComputePool.shared(), ImageTransforms.toModelInput(in), in.height(), in.width());
        double ms = (System.nanoTime() - t0) / 1e6;
        int gh = in.height() / f;
        int gw = in.width() / f;
        long[] ids = new long[codes.length];
        for (int i = 0; i < codes.length; i++) {
            ids[i] = codes[i];
        }
        Npy.write(output, gh == gw ? NpyArray.ofLongs(ids, 1, ids.length) : NpyArray.ofLongs(ids, 1, gh, gw));
        System.out.printf("%s (%dx%d) -> %dx%d pixels -> %d codes (%dx%d grid, %d bits) in %.1f ms -> %s%n",
                image, img.width(), img.height(), in.width(), in.height(), codes.length, gh, gw,
                m.config().codebookBits(), ms, output);
        return 0;
    }
}
