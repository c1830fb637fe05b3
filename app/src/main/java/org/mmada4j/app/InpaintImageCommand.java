package org.mmada4j.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mmada4j.model.MmadaModel;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.sample.ImageInpainting;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.text.TextTokenizer;
import org.mmada4j.vq.ImageFiles;
import org.mmada4j.vq.ImageTransforms;
import org.mmada4j.vq.Magvit;
import org.mmada4j.vq.RgbImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mmada4j inpaint image}: regenerate the parts of an image a mask marks (white = regenerate), or extend
 * it by half its size on one side (--extend), guided by a description.
 */
@Command(name = "image", mixinStandardHelpOptions = true,
        description = "Inpaint (--mask) or outpaint (--extend left|right|top|bottom) an image.")
public final class InpaintImageCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Model directory (default models/mmada-tiny).")
    Path model;

    @Option(names = "--vq", description = "MAGVIT-v2 directory (default models/magvit-tiny).")
    Path vq;

    @Option(names = "--image", required = true, description = "PNG or JPEG (centre-cropped to the model's size).")
    Path image;

    @Option(names = "--mask", description = "Mask image of the same size as the input image; white = regenerate.")
    Path mask;

    @Option(names = "--extend", description = "Outpaint: left, right, top or bottom.")
    String extend;

    @Option(names = "--prompt", required = true, description = "Description guiding the generation.")
    String prompt;

    @Option(names = {"-o", "--output"}, required = true, description = "Output PNG.")
    Path output;

    @Mixin
    ImageGeneration gen;

    @Override
    public Integer call() throws Exception {
        if ((mask == null) == (extend == null)) {
            throw new IllegalArgumentException("give exactly one of --mask (inpainting) and --extend (outpainting)");
        }
        gen.params();
        Path dir = SamplingSupport.modelDir(model);
        TextTokenizer tz = SamplingSupport.tokenizer(dir);
        SpecialTokens tok = SamplingSupport.tokens(dir, tz);
        Magvit m = VqCodes.load(vq);
        int side = SamplingSupport.side(m, tok);
        int grid = side / m.downsampleFactor();
        RgbImage original = ImageFiles.read(image);
        int[] codes = m.encode(ComputePool.shared(),
                ImageTransforms.toModelInput(ImageTransforms.resizeCenterCrop(original, side)), side, side);
        int[] known;
        ImageInpainting.Outpaint out = null;
        if (mask != null) {
            RgbImage mk = ImageFiles.read(mask);
            if (mk.width() != original.width() || mk.height() != original.height()) {
                throw new IllegalArgumentException(mask + ": mask image is " + mk.width() + "x" + mk.height()
                        + " but " + image + " is " + original.width() + "x" + original.height() + ": they must match");
            }
            RgbImage cropped = ImageTransforms.resizeCenterCrop(mk, side);
            float[] px = new float[side * side];
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    px[y * side + x] = cropped.get(x, y, 0) / 255f >= 0.5f ? 1f : 0f;
                }
            }
            known = ImageInpainting.maskCodes(codes, ImageInpainting.gridMask(px, side, side, side, side, grid, grid));
        } else {
            out = ImageInpainting.extend(codes, grid, grid, ImageInpainting.Side.valueOf(extend.toUpperCase()));
            known = out.codes();
        }
        try (MmadaModel mm = SamplingSupport.loadModel(dir)) {
            int[] result = gen.generate(mm, tz, tok, m, prompt, known, false);
            RgbImage img = out == null ? ImageGeneration.decode(m, result, grid, grid)
                    : ImageGeneration.decode(m, out.stitch(result), out.canvasH(), out.canvasW());
            ImageGeneration.writePng(output, img);
            System.err.printf("%dx%d -> %s%n", img.width(), img.height(), output);
        }
        return 0;
    }
}
