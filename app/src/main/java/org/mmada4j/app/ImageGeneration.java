package org.mmada4j.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mmada4j.model.MmadaModel;
import org.mmada4j.prompt.Prompting;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.prompt.TaskSequence;
import org.mmada4j.sample.ImageSampler;
import org.mmada4j.sample.ImageSamplingParams;
import org.mmada4j.sample.ImageStepListener;
import org.mmada4j.sample.MaskSchedule;
import org.mmada4j.sample.ModelPredictor;
import org.mmada4j.sample.SeededRandom;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.text.TextTokenizer;
import org.mmada4j.vq.ImageFiles;
import org.mmada4j.vq.Magvit;
import org.mmada4j.vq.RgbImage;
import picocli.CommandLine.Option;

/** The t2i options and pipeline shared by imagine and inpaint image (a picocli mixin). */
final class ImageGeneration {
    @Option(names = "--steps", defaultValue = "15", description = "MaskGIT steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--guidance", defaultValue = "3.5", description = "CFG scale (default ${DEFAULT-VALUE}).")
    float guidance;

    @Option(names = "--temperature", defaultValue = "1.0", description = "Re-masking noise τ0 (default ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--schedule", defaultValue = "cosine", description = "cosine, linear, sigmoid or powK (default ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--max-text-len", defaultValue = "512",
            description = "Text prefix size T of the t2i layout (max_seq_length; default ${DEFAULT-VALUE}).")
    int maxTextLen;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--preview-dir", description = "Write the image decoded after every step (step-NN.png) here.")
    Path previewDir;

    ImageSamplingParams params() {
        return new ImageSamplingParams(steps, guidance, temperature, MaskSchedule.parse(schedule));
    }

    /**
     * Generates the codes of one image for {@code prompt}; {@code known} ([N], −1 = generate) fixes codes for
     * inpainting (null: all generated).
     */
    int[] generate(MmadaModel m, TextTokenizer tz, SpecialTokens tok, Magvit vq, String prompt, int[] known,
                   boolean quiet) {
        ImageSamplingParams p = params();
        if (prompt == null || prompt.isBlank()) {
            throw new IllegalArgumentException("empty prompt: the image description is empty");
        }
        Prompting pr = new Prompting(tok);
        int n = tok.numVqTokens();
        int[] image = known == null ? pr.masks(n)
                : org.mmada4j.sample.ImageInpainting.imageIds(known, tok.imageOffset(), tok.mask());
        TaskSequence c = pr.t2i(tz.encode(prompt), image, null, maxTextLen, false);
        TaskSequence u = pr.t2i(new int[0], image, null, maxTextLen, false);
        SamplingSupport.Progress bar = new SamplingSupport.Progress("imagine", quiet);
        int grid = Magvit.squareSide(n);
        ImageStepListener listener = previewDir == null ? bar : (step, steps, codes, ids) -> {
            bar.onStep(step, steps, codes, ids);
            writePng(previewDir.resolve(String.format("step-%02d.png", step + 1)), decode(vq, codes[0], grid, grid));
        };
        ImageSampler.Result r = new ImageSampler(new ModelPredictor(m), tok).generate(new int[][] {c.ids()},
                new int[][] {c.attentionMask()}, new int[][] {u.ids()}, new int[][] {u.attentionMask()},
                maxTextLen + 1, p, new SeededRandom(seed), listener);
        return r.codes()[0];
    }

    /** Codes → RGB: clamp at 0..(codebook−1) as the reference, MAGVIT decode, ((x+1)/2)·255 truncated. */
    static RgbImage decode(Magvit vq, int[] codes, int gh, int gw) {
        return vq.decodeImage(ComputePool.shared(), codes, gh, gw);
    }

    static void writePng(Path file, RgbImage img) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ImageFiles.writePng(file, img);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
