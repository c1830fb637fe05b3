package org.mmada4j.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.Conv2d;
import org.mmada4j.tensor.ConvSpec;
import org.mmada4j.tensor.Gemm;
import org.mmada4j.tensor.Tensor;
import org.mmada4j.vq.Magvit;
import org.mmada4j.vq.MagvitConfig;
import org.mmada4j.vq.MagvitLoader;
import org.mmada4j.vq.RandomMagvit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmada4j bench vq}: MAGVIT-v2 encode and decode of one {@code size×size} image, by default on the
 * real architecture with random weights (PyTorch's default init, so no download), printing one JSON
 * line: median/min ms and GFLOP/s (2 × multiply-adds of convs and attention) of each, and a probe that
 * sets one 3×3 conv beside the plain GEMM of the same shape (the convolution's share of GEMM speed).
 * The first pass is checked (finite pixels, a full code grid) before anything is timed.
 */
@Command(name = "vq", mixinStandardHelpOptions = true,
        description = "Time MAGVIT-v2 encode/decode (real architecture, random weights); prints one JSON line.")
public final class VqBenchCommand implements Callable<Integer> {
    @Option(names = "--vq", description = "MAGVIT directory (default: the real architecture with random weights).")
    Path vq;

    @Option(names = "--size", defaultValue = "256", description = "Image side in pixels (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--threads", description = "Compute threads (default: available processors).")
    Integer threads;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed passes (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iters", defaultValue = "3", description = "Timed passes (default ${DEFAULT-VALUE}).")
    int iters;

    @Option(names = "--save", description = "Also write the random model as a MAGVIT directory here (for the PyTorch peer).")
    Path save;

    @Override
    public Integer call() throws Exception {
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        try (ComputePool pool = new ComputePool(t)) {
            Magvit m = vq != null ? MagvitLoader.load(vq) : RandomMagvit.create(MagvitConfig.real(), 0);
            if (save != null) {
                RandomMagvit.writeDirectory(MagvitConfig.real(), 0, save);
            }
            int f = m.downsampleFactor();
            int g = size / f;
            float[] image = new float[3 * size * size];
            SplittableRandom rnd = new SplittableRandom(1);
            for (int i = 0; i < image.length; i++) {
                image[i] = (float) (2 * rnd.nextDouble() - 1);
            }
            int[] codes = m.encode(pool, image, size, size);
            float[] px = m.decode(pool, codes, g, g);
            if (codes.length != g * g || !Arrays.stream(toDoubles(px)).allMatch(Double::isFinite)) {
                throw new IllegalStateException("validation pass failed: " + codes.length + " codes, non-finite pixels");
            }
            for (int i = 1; i < warmup; i++) {
                m.decode(pool, m.encode(pool, image, size, size), g, g);
            }
            double[] enc = new double[iters];
            double[] dec = new double[iters];
            for (int i = 0; i < iters; i++) {
                long t0 = System.nanoTime();
                int[] c = m.encode(pool, image, size, size);
                long t1 = System.nanoTime();
                m.decode(pool, c, g, g);
                long t2 = System.nanoTime();
                enc[i] = (t1 - t0) / 1e6;
                dec[i] = (t2 - t1) / 1e6;
            }
            double encFlop = 2.0 * m.encodeMacs(size, size);
            double decFlop = 2.0 * m.decodeMacs(g, g);
            ObjectNode out = new ObjectMapper().createObjectNode();
            out.put("bench", "vq");
            out.put("model", vq != null ? vq.toString() : "MAGVIT-v2 real architecture, random weights");
            out.put("size", size);
            out.put("threads", t);
            out.put("iters", iters);
            out.put("encode_ms_median", median(enc));
            out.put("encode_ms_min", Arrays.stream(enc).min().orElse(0));
            out.put("decode_ms_median", median(dec));
            out.put("decode_ms_min", Arrays.stream(dec).min().orElse(0));
            out.put("encode_gflop", encFlop / 1e9);
            out.put("decode_gflop", decFlop / 1e9);
            out.put("encode_gflops", encFlop / median(enc) / 1e6);
            out.put("decode_gflops", decFlop / median(dec) / 1e6);
            probe(pool, out);
            System.out.println(out);
        }
        return 0;
    }

    /** One 3×3 conv 256→256 on 64×64 against the GEMM of its im2col shape (m 4096, n 256, k 2304). */
    private void probe(ComputePool pool, ObjectNode out) {
        int c = 256;
        int hw = 64;
        ConvSpec s = ConvSpec.square(c, c, 3, 1, 1);
        SplittableRandom rnd = new SplittableRandom(2);
        float[] x = new float[hw * hw * c];
        float[] w = new float[c * c * 9];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextDouble();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rnd.nextDouble() - 0.5);
        }
        Tensor packed = Conv2d.packWeight(Tensor.ofFloats(w, c, c, 3, 3));
        float[] y = new float[hw * hw * c];
        float[] a = new float[hw * hw * s.patch()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextDouble();
        }
        double flop = 2.0 * hw * hw * c * s.patch();
        double convMs = Double.MAX_VALUE;
        double gemmMs = Double.MAX_VALUE;
        for (int rep = 0; rep < Math.max(3, iters); rep++) {
            long t0 = System.nanoTime();
            Conv2d.forward(pool, s, x, hw, hw, packed, null, y);
            long t1 = System.nanoTime();
            Gemm.matmulNT(pool, a, 0, s.patch(), packed, 0, y, 0, c, hw * hw, c, s.patch(), false);
            long t2 = System.nanoTime();
            convMs = Math.min(convMs, (t1 - t0) / 1e6);
            gemmMs = Math.min(gemmMs, (t2 - t1) / 1e6);
        }
        out.put("probe", "conv3x3 256->256 on 64x64 vs matmulNT m=4096 n=256 k=2304 (best of runs)");
        out.put("probe_conv_gflops", flop / convMs / 1e6);
        out.put("probe_gemm_gflops", flop / gemmMs / 1e6);
        out.put("probe_conv_over_gemm", gemmMs / convMs);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
