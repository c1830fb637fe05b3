package org.mmada4j.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.mmada4j.score.ClipConfig;
import org.mmada4j.score.ClipModel;
import org.mmada4j.score.RandomClip;
import org.mmada4j.tensor.ComputePool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmada4j bench clip}: CLIP image and text embedding time, by default on ViT-B/32's
 * architecture with random fp32 weights (written to a temporary directory, deleted after), printing
 * one JSON line: median/min ms of one image at the model's resolution and of one text of
 * {@code --text-tokens} tokens. The first pass is checked (finite, unit-norm embeddings).
 */
@Command(name = "clip", mixinStandardHelpOptions = true,
        description = "Time CLIP image and text embedding (ViT-B/32 shape, random weights); prints one JSON line.")
public final class ClipBenchCommand implements Callable<Integer> {
    @Option(names = "--model", description = "CLIPModel directory (default: ViT-B/32 shape with random weights).")
    Path model;

    @Option(names = "--save", description = "Write the random model here and keep it (for the PyTorch peer, bench/peer/clip_torch.py).")
    Path save;

    @Option(names = "--batch", defaultValue = "1", description = "Images / texts per pass (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--text-tokens", defaultValue = "20", description = "Tokens per text (default ${DEFAULT-VALUE}).")
    int textTokens;

    @Option(names = "--no-pack", description = "Read linear weights from the mapped file on every call instead of packing them once at load.")
    boolean noPack;

    @Option(names = "--threads", description = "Compute threads (default: available processors).")
    Integer threads;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed passes (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iters", defaultValue = "5", description = "Timed passes (default ${DEFAULT-VALUE}).")
    int iters;

    @Override
    public Integer call() throws Exception {
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        Path dir = model;
        Path tmp = null;
        if (dir == null && save != null) {
            RandomClip.writeDirectory(RandomClip.vitB32(), 0, save);
            dir = save;
        } else if (dir == null) {
            tmp = Files.createTempDirectory("mmada4j-clip-bench-");
            RandomClip.writeDirectory(RandomClip.vitB32(), 0, tmp);
            dir = tmp;
        }
        try (ComputePool pool = new ComputePool(t); ClipModel m = ClipModel.load(dir, pool, !noPack)) {
            ClipConfig c = m.config();
            int size = c.vision().imageSize();
            float[] pixels = new float[batch * 3 * size * size];
            SplittableRandom rnd = new SplittableRandom(1);
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) (2 * rnd.nextDouble() - 1);
            }
            List<int[]> ids = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                int[] s = new int[Math.min(textTokens, c.text().maxPositions())];
                for (int i = 0; i < s.length; i++) {
                    s[i] = rnd.nextInt(c.text().vocabSize());
                }
                ids.add(s);
            }
            float[] check = m.imageEmbeddings(pixels, batch);
            float[] checkText = m.textEmbeddings(ids);
            if (!finite(check) || !finite(checkText)) {
                throw new IllegalStateException("validation pass gave non-finite embeddings");
            }
            for (int i = 1; i < warmup; i++) {
                m.imageEmbeddings(pixels, batch);
                m.textEmbeddings(ids);
            }
            double[] img = new double[iters];
            double[] txt = new double[iters];
            for (int i = 0; i < iters; i++) {
                long t0 = System.nanoTime();
                m.imageEmbeddings(pixels, batch);
                long t1 = System.nanoTime();
                m.textEmbeddings(ids);
                long t2 = System.nanoTime();
                img[i] = (t1 - t0) / 1e6;
                txt[i] = (t2 - t1) / 1e6;
            }
            ObjectNode out = new ObjectMapper().createObjectNode();
            out.put("bench", "clip");
            out.put("model", model != null ? model.toString() : "ViT-B/32 shape, random fp32 weights");
            out.put("image_size", size);
            out.put("batch", batch);
            out.put("text_tokens", ids.get(0).length);
            out.put("threads", t);
            out.put("packed_weights", !noPack);
            out.put("iters", iters);
            out.put("image_ms_median", median(img));
            out.put("image_ms_min", Arrays.stream(img).min().orElse(0));
            out.put("text_ms_median", median(txt));
            out.put("text_ms_min", Arrays.stream(txt).min().orElse(0));
            System.out.println(out);
        } finally {
            if (tmp != null) {
                try (Stream<Path> files = Files.list(tmp)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(tmp);
            }
        }
        return 0;
    }

    private static boolean finite(float[] x) {
        for (float v : x) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length == 0 ? 0 : s[s.length / 2];
    }
}
