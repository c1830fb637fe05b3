package org.mmada4j.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.mmada4j.model.MmadaModel;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.sample.ModelPredictor;
import org.mmada4j.sample.Remasking;
import org.mmada4j.sample.SeededRandom;
import org.mmada4j.sample.TextSampler;
import org.mmada4j.sample.TextSamplingParams;
import org.mmada4j.text.TextTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmada4j inpaint text}: text infilling. Every {@code [MASK]} in the text becomes {@code --hole-length}
 * mask tokens; the whole sequence is decoded as one block (masks anywhere, MMADA-REFERENCE §4.3).
 */
@Command(name = "text", mixinStandardHelpOptions = true, description = "Fill the [MASK] holes of a text.")
public final class InpaintTextCommand implements Callable<Integer> {
    static final String HOLE = "[MASK]";

    @Option(names = "--model", description = "Model directory (default models/mmada-tiny).")
    Path model;

    @Option(names = "--text", required = true, description = "Text with [MASK] holes.")
    String text;

    @Option(names = "--hole-length", defaultValue = "8", description = "Tokens per hole (default ${DEFAULT-VALUE}).")
    int holeLength;

    @Option(names = "--steps", defaultValue = "0", description = "Steps (default: one per masked token).")
    int steps;

    @Option(names = "--temperature", defaultValue = "0", description = "Gumbel temperature (default 0).")
    double temperature;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed.")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (!text.contains(HOLE)) {
            throw new IllegalArgumentException("the text has no " + HOLE + " hole to fill");
        }
        if (holeLength < 1) {
            throw new IllegalArgumentException("--hole-length must be >= 1");
        }
        Path dir = SamplingSupport.modelDir(model);
        TextTokenizer tz = SamplingSupport.tokenizer(dir);
        SpecialTokens tok = SamplingSupport.tokens(dir, tz);
        List<Integer> ids = new ArrayList<>();
        ids.add(tok.bos());
        String[] parts = text.split(java.util.regex.Pattern.quote(HOLE), -1);
        int masks = 0;
        for (int i = 0; i < parts.length; i++) {
            for (int id : tz.encode(parts[i])) {
                ids.add(id);
            }
            if (i < parts.length - 1) {
                for (int k = 0; k < holeLength; k++) {
                    ids.add(tok.mask());
                }
                masks += holeLength;
            }
        }
        int[] x = ids.stream().mapToInt(Integer::intValue).toArray();
        TextSamplingParams p = new TextSamplingParams(x.length, x.length, steps > 0 ? steps : masks, temperature, 0,
                Remasking.LOW_CONFIDENCE, OptionalInt.empty());
        try (MmadaModel m = SamplingSupport.loadModel(dir)) {
            TextSampler.Result r = new TextSampler(new ModelPredictor(m), tok.mask()).fill(new int[][] {x}, null, 0, p,
                    new SeededRandom(seed), new SamplingSupport.Progress("infill", false));
            int[] row = r.ids()[0];
            System.out.println(org.mmada4j.sample.Answers.text(java.util.Arrays.copyOfRange(row, 1, row.length), tok, tz));
        }
        return 0;
    }
}
