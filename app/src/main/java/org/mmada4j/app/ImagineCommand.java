package org.mmada4j.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mmada4j.model.MmadaModel;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.text.TextTokenizer;
import org.mmada4j.vq.Magvit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mmada4j imagine}: text-to-image (MaskGIT decoding with CFG, then MAGVIT-v2 decode to PNG). */
@Command(name = "imagine", mixinStandardHelpOptions = true, description = "Generate an image from a description.")
public final class ImagineCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Model directory (default models/mmada-tiny).")
    Path model;

    @Option(names = "--vq", description = "MAGVIT-v2 directory (default models/magvit-tiny).")
    Path vq;

    @Option(names = "--prompt", required = true, description = "The image description.")
    String prompt;

    @Option(names = {"-o", "--output"}, required = true, description = "Output PNG.")
    Path output;

    @Option(names = "--json", description = "Print one JSON object (codes, seconds).")
    boolean json;

    @Mixin
    ImageGeneration gen;

    @Override
    public Integer call() throws Exception {
        gen.params();
        Path dir = SamplingSupport.modelDir(model);
        TextTokenizer tz = SamplingSupport.tokenizer(dir);
        SpecialTokens tok = SamplingSupport.tokens(dir, tz);
        Magvit m = VqCodes.load(vq);
        SamplingSupport.side(m, tok);
        int grid = Magvit.squareSide(tok.numVqTokens());
        try (MmadaModel mm = SamplingSupport.loadModel(dir)) {
            long t0 = System.nanoTime();
            int[] codes = gen.generate(mm, tz, tok, m, prompt, null, json);
            ImageGeneration.writePng(output, ImageGeneration.decode(m, codes, grid, grid));
            double s = (System.nanoTime() - t0) / 1e9;
            if (json) {
                var o = SamplingSupport.JSON.createObjectNode();
                o.put("output", output.toString()).put("seconds", Math.round(s * 1000) / 1000.0)
                        .put("steps", gen.steps);
                var arr = o.putArray("codes");
                for (int c : codes) {
                    arr.add(c);
                }
                System.out.println(o);
            } else {
                System.err.printf("%d codes (%dx%d) in %.2f s -> %s%n", codes.length, grid, grid, s, output);
            }
        }
        return 0;
    }
}
