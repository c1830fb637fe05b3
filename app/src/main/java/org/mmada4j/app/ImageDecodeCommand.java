package org.mmada4j.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.vq.ImageFiles;
import org.mmada4j.vq.ImageTransforms;
import org.mmada4j.vq.Magvit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mmada4j image decode}: MAGVIT-v2 codes to PNG, with the inference scripts' post-processing
 * ({@code clamp((x+1)/2, 0, 1)·255}, truncated to bytes). A batch of B > 1 rows writes
 * {@code out_0.png ... out_{B-1}.png}.
 */
@Command(name = "decode", mixinStandardHelpOptions = true, description = "Decode MAGVIT-v2 codes (.npy) into a PNG.")
public final class ImageDecodeCommand implements Callable<Integer> {
    @Option(names = "--vq", description = "MAGVIT directory (pytorch_model.safetensors + config.json; default models/magvit-tiny).")
    Path vq;

    @Parameters(index = "0", description = "int64 codes [B, N] (square grid) or [B, gh, gw] (.npy).")
    Path codesFile;

    @Option(names = {"-o", "--output"}, required = true, description = "Output PNG.")
    Path output;

    @Option(names = "--grid-height", defaultValue = "0", description = "Code grid height (default: square grid).")
    int gridHeight;

    @Option(names = "--grid-width", defaultValue = "0", description = "Code grid width (default: square grid).")
    int gridWidth;

    @Override
    public Integer call() throws Exception {
        Magvit m = VqCodes.load(vq);
        VqCodes codes = VqCodes.read(codesFile, gridHeight, gridWidth);
        int[] hw = new int[2];
        long t0 = System.nanoTime();
        float[] px = codes.decodeAll(m, codesFile, ComputePool.shared(), hw);
        double ms = (System.nanoTime() - t0) / 1e6;
        int batch = codes.rows().length;
        int per = px.length / batch;
        for (int b = 0; b < batch; b++) {
            float[] one = java.util.Arrays.copyOfRange(px, b * per, (b + 1) * per);
            Path out = batch == 1 ? output : numbered(output, b);
            ImageFiles.writePng(out, ImageTransforms.fromModelOutput(one, hw[1], hw[0]));
            System.out.printf("%s [%d] %dx%d codes -> %dx%d PNG -> %s%n", codesFile, b, codes.gridHeight(),
                    codes.gridWidth(), hw[1], hw[0], out);
        }
        System.out.printf("decoded %d image(s) in %.1f ms%n", batch, ms);
        return 0;
    }

    private static Path numbered(Path p, int i) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : ".png";
        return p.resolveSibling(stem + "_" + i + ext);
    }
}
