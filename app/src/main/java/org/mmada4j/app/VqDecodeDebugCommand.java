package org.mmada4j.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mmada4j.io.Npy;
import org.mmada4j.io.NpyArray;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.vq.Magvit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmada4j debug vq-decode}: MAGVIT-v2 {@code decode_code}, .npy in and out. Codes int64
 * {@code [B, N]} (square grid unless {@code --grid-height/--grid-width}) or {@code [B, gh, gw]}; output
 * float32 {@code [B, 3, gh·f, gw·f]}, the raw decoder output before the {@code (x+1)/2} clamp.
 */
@Command(name = "vq-decode", mixinStandardHelpOptions = true,
        description = "MAGVIT-v2 decoder over int64 codes [B,N] (.npy); writes raw float32 pixels [B,3,H,W].")
public final class VqDecodeDebugCommand implements Callable<Integer> {
    @Option(names = "--vq", description = "MAGVIT directory (pytorch_model.safetensors + config.json; default models/magvit-tiny).")
    Path vq;

    @Option(names = "--input", required = true, description = "int64 [B, N] or [B, gh, gw] codes (.npy).")
    Path input;

    @Option(names = "--output", required = true, description = "float32 [B, 3, H, W] decoder output (.npy).")
    Path output;

    @Option(names = "--grid-height", defaultValue = "0", description = "Code grid height (default: square grid).")
    int gridHeight;

    @Option(names = "--grid-width", defaultValue = "0", description = "Code grid width (default: square grid).")
    int gridWidth;

    @Override
    public Integer call() throws Exception {
        Magvit m = VqCodes.load(vq);
        VqCodes codes = VqCodes.read(input, gridHeight, gridWidth);
        int[] hw = new int[2];
        float[] px = codes.decodeAll(m, input, ComputePool.shared(), hw);
        Npy.write(output, NpyArray.ofFloats(px, codes.rows().length, m.config().decoder().outCh(), hw[0], hw[1]));
        return 0;
    }
}
