package org.mmada4j.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mmada4j.model.MmadaModel;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.sample.ImageUnderstanding;
import org.mmada4j.sample.ModelPredictor;
import org.mmada4j.sample.Answers;
import org.mmada4j.sample.TextSampler;
import org.mmada4j.text.TextTokenizer;
import org.mmada4j.vq.Magvit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mmada4j describe}: answer a question about an image (mmu layout, inference_mmu.py). */
@Command(name = "describe", mixinStandardHelpOptions = true, description = "Answer a question about an image.")
public final class DescribeCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Model directory (default models/mmada-tiny).")
    Path model;

    @Option(names = "--vq", description = "MAGVIT-v2 directory (default models/magvit-tiny).")
    Path vq;

    @Option(names = "--image", required = true, description = "PNG or JPEG (centre-cropped to the model's size).")
    Path image;

    @Option(names = "--question", defaultValue = "Please describe this image in detail.",
            description = "The question (default: \"${DEFAULT-VALUE}\").")
    String question;

    @Option(names = "--think", description = "Thinking mode: reason in <think>…</think>, then answer.")
    boolean think;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Mixin
    TextSamplingOptions sampling;

    @Override
    public Integer call() throws Exception {
        Path dir = SamplingSupport.modelDir(model);
        TextTokenizer tz = SamplingSupport.tokenizer(dir);
        SpecialTokens tok = SamplingSupport.tokens(dir, tz);
        sampling.params(tok); // validates the settings before any loading
        if (question == null || question.isBlank()) {
            throw new IllegalArgumentException("empty prompt: --question is empty");
        }
        Magvit m = VqCodes.load(vq);
        int[] codes = SamplingSupport.imageCodes(m, image, tok);
        try (MmadaModel mm = SamplingSupport.loadModel(dir)) {
            ImageUnderstanding u = new ImageUnderstanding(new ModelPredictor(mm), tz, tok);
            int[] prompt = u.prompt(codes, question, think);
            long t0 = System.nanoTime();
            // the exact sampler, or the cached/threshold one when --fast/--threshold ask for it
            TextSampler.Result r = sampling.generate(mm, tok, prompt, new SamplingSupport.Progress("describe", json));
            double s = (System.nanoTime() - t0) / 1e9;
            int[] row = r.ids()[0];
            GenerateCommand.print(Answers.decode(row, prompt.length, row.length, tok, tz), r, s, json, think);
        }
        return 0;
    }
}
