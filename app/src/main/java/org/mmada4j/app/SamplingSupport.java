package org.mmada4j.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.mmada4j.model.MmadaModel;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.sample.ImageStepListener;
import org.mmada4j.sample.ModelPredictor;
import org.mmada4j.sample.TextStepListener;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.text.BpeTokenizer;
import org.mmada4j.text.TextTokenizer;
import org.mmada4j.vq.ImageFiles;
import org.mmada4j.vq.ImageTransforms;
import org.mmada4j.vq.Magvit;
import org.mmada4j.vq.RgbImage;

/**
 * What the sampling commands share: the bundled model directories as defaults, loading the model, its
 * tokenizer and token map, image → codes, and a progress bar on stderr.
 */
final class SamplingSupport {
    static final ObjectMapper JSON = new ObjectMapper();

    private SamplingSupport() {
    }

    /** The bundled tiny MMaDA: {@code models/mmada-tiny} next to the launcher or in the working directory. */
    static Path defaultModel() {
        Path vq = VqCodes.defaultVq();
        Path sibling = vq.resolveSibling("mmada-tiny");
        return Files.isDirectory(sibling) ? sibling : Path.of("models", "mmada-tiny");
    }

    static Path modelDir(Path given) {
        return given != null ? given : defaultModel();
    }

    static MmadaModel loadModel(Path dir) {
        return packIfItFits(ModelPredictor.load(dir, ComputePool.shared()));
    }

    /**
     * Packs the weights once into the GEMM layout when the fp32 copy takes at most a quarter of the heap: samplers
     * run many passes, and the cached modes' small windows would otherwise spend most of their time packing.
     */
    static MmadaModel packIfItFits(MmadaModel m) {
        if (4 * m.config().parameterCount() <= Runtime.getRuntime().maxMemory() / 4) {
            m.packWeights();
        }
        return m;
    }

    /** {@code DIR/tokenizer.json}; a clear error when the model directory has none. */
    static TextTokenizer tokenizer(Path dir) {
        Path f = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException(dir + ": no tokenizer.json in the model directory (text commands need it)");
        }
        return BpeTokenizer.load(f);
    }

    static SpecialTokens tokens(Path dir, TextTokenizer tz) {
        return SpecialTokens.load(dir, tz == null ? OptionalInt.empty() : OptionalInt.of(tz.size()));
    }

    /**
     * An image as the codes the model expects: centre-cropped to the square whose code grid has
     * {@code num_vq_tokens} cells ({@code image_transform}).
     */
    static int[] imageCodes(Magvit vq, Path image, SpecialTokens tok) throws java.io.IOException {
        int side = side(vq, tok);
        RgbImage in = ImageTransforms.resizeCenterCrop(ImageFiles.read(image), side);
        return vq.encode(ComputePool.shared(), ImageTransforms.toModelInput(in), side, side);
    }

    /** Pixel side of the model's images: √num_vq_tokens codes × the VQ's downsampling factor. */
    static int side(Magvit vq, SpecialTokens tok) {
        int grid = Magvit.squareSide(tok.numVqTokens());
        if (vq.config().codebookSize() != tok.codebookSize()) {
            throw new IllegalArgumentException("the VQ model has " + vq.config().codebookSize()
                    + " codes, the MMaDA model expects " + tok.codebookSize() + " (codebook_size)");
        }
        return grid * vq.downsampleFactor();
    }

    /** A text progress bar on stderr, redrawn in place; silent when {@code quiet}. */
    static final class Progress implements TextStepListener, ImageStepListener {
        private final PrintStream err = System.err;
        private final boolean quiet;
        private final String label;
        private final long start = System.nanoTime();

        Progress(String label, boolean quiet) {
            this.label = label;
            this.quiet = quiet;
        }

        @Override
        public void onStep(int step, int steps, int[][] x, int committed) {
            draw(step + 1, steps);
        }

        @Override
        public void onStep(int step, int steps, int[][] codes, int[][] ids) {
            draw(step + 1, steps);
        }

        void draw(int done, int total) {
            if (quiet) {
                return;
            }
            total = Math.max(total, done); // threshold decoding may take more steps than planned
            int width = 30;
            int filled = total <= 0 ? width : Math.min(width, done * width / total);
            double s = (System.nanoTime() - start) / 1e9;
            err.printf("\r%s [%s%s] %d/%d %.1fs", label, "#".repeat(filled), ".".repeat(width - filled), done, total, s);
            if (done >= total) {
                err.println();
            }
            err.flush();
        }

        void finish() {
            if (!quiet) {
                err.println();
            }
        }
    }
}
