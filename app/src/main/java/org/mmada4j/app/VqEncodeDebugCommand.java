package org.mmada4j.app;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.mmada4j.io.Npy;
import org.mmada4j.io.NpyArray;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.vq.FeatureMap;
import org.mmada4j.vq.Magvit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmada4j debug vq-encode}: MAGVIT-v2 {@code get_code} on raw model input, .npy in and out.
 * Input float32 {@code [B, 3, H, W]} in [−1, 1]; codes int64 {@code [B, (H/f)·(W/f)]}; latent float32
 * {@code [B, z, H/f, W/f]} = encoder output after {@code quant_conv}, before the quantizer.
 */
@Command(name = "vq-encode", mixinStandardHelpOptions = true,
        description = "MAGVIT-v2 encoder + LFQ over a float32 [B,3,H,W] .npy; writes int64 codes [B,N].")
public final class VqEncodeDebugCommand implements Callable<Integer> {
    @Option(names = "--vq", description = "MAGVIT directory (pytorch_model.safetensors + config.json; default models/magvit-tiny).")
    Path vq;

    @Option(names = "--input", required = true, description = "float32 [B, 3, H, W] image batch in [-1, 1] (.npy).")
    Path input;

    @Option(names = "--output", required = true, description = "int64 [B, N] codes (.npy).")
    Path output;

    @Option(names = "--latent", description = "float32 [B, z, H/f, W/f] encoder output before LFQ (.npy).")
    Path latent;

    @Override
    public Integer call() throws Exception {
        Magvit m = VqCodes.load(vq);
        NpyArray x = Npy.read(input);
        int inCh = m.config().encoder().inCh();
        if (!x.isFloat() || x.rank() != 4) {
            throw new IllegalArgumentException(input + ": expected a float array [B, " + inCh + ", H, W], got "
                    + (x.isFloat() ? "float" : "integer") + " " + Arrays.toString(x.shape()));
        }
        if (x.dim(1) != inCh) {
            throw new IllegalArgumentException(input + ": image has " + x.dim(1) + " channels, the model takes " + inCh
                    + " (shape " + Arrays.toString(x.shape()) + ")");
        }
        int b = x.dim(0);
        int h = x.dim(2);
        int w = x.dim(3);
        int per = inCh * h * w;
        long[] codes = null;
        float[] z = null;
        int zc = m.config().codebookBits();
        for (int i = 0; i < b; i++) {
            FeatureMap lat;
            try {
                lat = m.encodeLatent(ComputePool.shared(), Arrays.copyOfRange(x.floats(), i * per, (i + 1) * per), h, w);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(input + ": " + e.getMessage(), e);
            }
            int n = lat.pixels();
            if (codes == null) {
                codes = new long[b * n];
                z = new float[b * n * zc];
            }
            int[] c = m.quantizer().encode(lat);
            for (int j = 0; j < n; j++) {
                codes[i * n + j] = c[j];
            }
            lat.toPlanar(z, i * n * zc);
        }
        int f = m.downsampleFactor();
        Npy.write(output, NpyArray.ofLongs(codes, b, (long) (h / f) * (w / f)));
        if (latent != null) {
            Npy.write(latent, NpyArray.ofFloats(z, b, zc, h / f, w / f));
        }
        return 0;
    }
}
