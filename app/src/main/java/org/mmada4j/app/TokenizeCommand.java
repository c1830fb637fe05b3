package org.mmada4j.app;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.mmada4j.text.BpeTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mmada4j tokenize --tokenizer FILE "text"} prints the ids of the text (no BOS/EOS added);
 * {@code --decode 1,2,3} prints the text of the ids.
 */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Encode text to token ids with a Hugging Face tokenizer.json, or decode ids to text.")
public final class TokenizeCommand implements Callable<Integer> {
    @Option(names = "--tokenizer", required = true, description = "A tokenizer.json (BPE).")
    Path tokenizer;

    @Option(names = "--decode", split = ",", paramLabel = "ID", description = "Comma-separated ids to decode.")
    int[] decode;

    @Option(names = "--skip-special", description = "Drop special tokens when decoding.")
    boolean skipSpecial;

    @Parameters(arity = "0..1", paramLabel = "TEXT", description = "Text to encode.")
    String text;

    @Override
    public Integer call() {
        if ((decode == null) == (text == null)) {
            System.err.println("tokenize: give either TEXT to encode or --decode IDS");
            return 2;
        }
        try {
            BpeTokenizer tok = BpeTokenizer.load(tokenizer);
            if (decode != null) {
                System.out.println(tok.decode(decode, skipSpecial));
            } else {
                System.out.println(Arrays.stream(tok.encode(text)).mapToObj(Integer::toString).collect(Collectors.joining(",")));
            }
            return 0;
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println("tokenize: " + e.getMessage());
            return 1;
        }
    }
}
