package org.mmada4j.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mmada4j.model.MmadaModel;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.sample.ImageUnderstanding;
import org.mmada4j.sample.ModelPredictor;
import org.mmada4j.sample.SeededRandom;
import org.mmada4j.text.TextTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mmada4j inpaint answer}: complete a partly written answer to a question about an image. */
@Command(name = "answer", mixinStandardHelpOptions = true,
        description = "Complete a partial answer about an image (its [MASK] holes and --gen-length more tokens).")
public final class InpaintAnswerCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Model directory (default models/mmada-tiny).")
    Path model;

    @Option(names = "--vq", description = "MAGVIT-v2 directory (default models/magvit-tiny).")
    Path vq;

    @Option(names = "--image", required = true, description = "PNG or JPEG.")
    Path image;

    @Option(names = "--question", required = true, description = "The question.")
    String question;

    @Option(names = "--partial", required = true, description = "The start of the answer; [MASK] marks a one-token hole.")
    String partial;

    @Mixin
    TextSamplingOptions sampling;

    @Override
    public Integer call() throws Exception {
        Path dir = SamplingSupport.modelDir(model);
        TextTokenizer tz = SamplingSupport.tokenizer(dir);
        SpecialTokens tok = SamplingSupport.tokens(dir, tz);
        var params = sampling.params(tok);
        int[] codes = SamplingSupport.imageCodes(VqCodes.load(vq), image, tok);
        String withMasks = partial.replace(InpaintTextCommand.HOLE, "<|mdm_mask|>");
        try (MmadaModel m = SamplingSupport.loadModel(dir)) {
            ImageUnderstanding.Result r = new ImageUnderstanding(new ModelPredictor(m), tz, tok).complete(codes, question,
                    withMasks, params, new SeededRandom(sampling.seed), new SamplingSupport.Progress("answer", false));
            System.out.println(r.answer().text());
        }
        return 0;
    }
}
