package org.mmada4j.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.mmada4j.text.BpeTokenizer;
import org.mmada4j.text.BpeTrainer;
import org.mmada4j.text.TokenizerJsonWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mmada4j tokenize --tokenizer FILE "text"} prints the ids of the text (no BOS/EOS added);
 * {@code --decode 1,2,3} prints the text of the ids; {@code --train FILE... --vocab-size N} trains a
 * byte-level BPE tokenizer on UTF-8 text files and writes it to {@code --tokenizer}.
 */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Encode text to token ids with a Hugging Face tokenizer.json, decode ids to text, or train one.")
public final class TokenizeCommand implements Callable<Integer> {
    @Option(names = "--tokenizer", required = true, description = "A tokenizer.json (BPE); the output with --train.")
    Path tokenizer;

    @Option(names = "--train", arity = "1..*", paramLabel = "TEXT_FILE", description = "Train on these UTF-8 text files.")
    List<Path> train;

    @Option(names = "--vocab-size", defaultValue = "4096", description = "Vocabulary size when training (default ${DEFAULT-VALUE}).")
    int vocabSize;

    @Option(names = "--special", split = ",", description = "Special tokens when training (comma-separated, ids from 0).")
    List<String> specials = new ArrayList<>();

    @Option(names = "--min-frequency", defaultValue = "2", description = "Least count of a merged pair (default ${DEFAULT-VALUE}).")
    int minFrequency;

    @Option(names = "--split-digits", description = "Keep every digit a token of its own when training.")
    boolean splitDigits;

    @Option(names = "--decode", split = ",", paramLabel = "ID", description = "Comma-separated ids to decode.")
    int[] decode;

    @Option(names = "--skip-special", description = "Drop special tokens when decoding.")
    boolean skipSpecial;

    @Parameters(arity = "0..1", paramLabel = "TEXT", description = "Text to encode.")
    String text;

    @Override
    public Integer call() {
        if (train != null) {
            return train();
        }
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

    private int train() {
        try {
            List<String> texts = new ArrayList<>();
            for (Path f : train) {
                texts.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
            }
            String json = BpeTrainer.train(texts, new BpeTrainer.Options(vocabSize, specials, minFrequency, splitDigits, null));
            TokenizerJsonWriter.write(tokenizer, json);
            System.out.println("wrote " + tokenizer + " (" + BpeTokenizer.fromJson(json, tokenizer.toString()).size() + " ids)");
            return 0;
        } catch (IOException e) {
            System.err.println("tokenize: cannot read training text: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println("tokenize: " + e.getMessage());
            return 1;
        }
    }
}
