package org.mmada4j.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mmada4j.model.MmadaModel;
import org.mmada4j.prompt.ChatTemplate;
import org.mmada4j.prompt.SpecialTokens;
import org.mmada4j.sample.Answers;
import org.mmada4j.sample.TextSampler;
import org.mmada4j.text.TextTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mmada4j generate}: text generation with the chat template (generate.py), exact or fast. */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Generate text from a prompt.")
public final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Model directory (default models/mmada-tiny).")
    Path model;

    @Option(names = "--prompt", required = true, description = "The user's message.")
    String prompt;

    @Option(names = "--think", description = "Prefix the thinking instruction; print the reasoning apart.")
    boolean think;

    @Option(names = "--raw", description = "No chat template: BOS + the prompt's tokens.")
    boolean raw;

    @Option(names = "--json", description = "Print one JSON object instead of the text.")
    boolean json;

    @Mixin
    TextSamplingOptions sampling;

    @Override
    public Integer call() throws Exception {
        Path dir = SamplingSupport.modelDir(model);
        TextTokenizer tz = SamplingSupport.tokenizer(dir);
        SpecialTokens tok = SamplingSupport.tokens(dir, tz);
        sampling.params(tok);
        int[] ids = raw ? rawPrompt(tz, tok) : ChatTemplate.encodeQuestion(tz, tok, prompt, think);
        try (MmadaModel m = SamplingSupport.loadModel(dir)) {
            SamplingSupport.Progress bar = new SamplingSupport.Progress("generate", json);
            long t0 = System.nanoTime();
            TextSampler.Result r = sampling.generate(m, tok, ids, bar);
            double s = (System.nanoTime() - t0) / 1e9;
            int[] row = r.ids()[0];
            Answers.Answer a = Answers.decode(row, ids.length, row.length, tok, tz);
            print(a, r, s, json, think);
        }
        return 0;
    }

    private int[] rawPrompt(TextTokenizer tz, SpecialTokens tok) {
        if (prompt.isEmpty()) {
            throw new IllegalArgumentException("empty prompt");
        }
        int[] body = tz.encode(prompt);
        int[] ids = new int[body.length + 1];
        ids[0] = tok.bos();
        System.arraycopy(body, 0, ids, 1, body.length);
        return ids;
    }

    static void print(Answers.Answer a, TextSampler.Result r, double seconds, boolean json, boolean think) {
        if (json) {
            ObjectNode o = SamplingSupport.JSON.createObjectNode();
            o.put("text", a.text()).put("answer", a.answer()).put("thinking", a.thinking())
                    .put("nfe", r.forwardPasses()).put("generated_tokens", r.generated()[0])
                    .put("seconds", Math.round(seconds * 1000) / 1000.0)
                    .put("tokens_per_s", Math.round(r.generated()[0] / seconds * 100) / 100.0);
            System.out.println(o);
        } else if (think) {
            System.out.println("[thinking] " + a.thinking());
            System.out.println(a.answer());
        } else {
            System.out.println(a.text());
        }
    }
}
