package org.mmada4j.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import org.mmada4j.io.CheckpointException;
import org.mmada4j.score.ClipScorer;
import org.mmada4j.score.CommandScorer;
import org.mmada4j.score.ScorerException;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.vq.ImageFiles;
import org.mmada4j.vq.RgbImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmada4j score --scorer DIR --image a.png [--image b.png] --text "..."}: image–text scores as
 * one JSON object. {@code --scorer} is a Hugging Face CLIPModel directory (openai/clip-vit-*, or
 * PickScore_v1 with {@code --use pickscore} and {@code --processor} pointing at its processor's
 * directory); {@code --command} runs an external scorer instead (see {@link CommandScorer}). One text
 * is paired with every image; otherwise images and texts pair up in order.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score images against texts with a CLIP-architecture model or an external scorer; prints JSON.")
public final class ScoreCommand implements Callable<Integer> {
    @Option(names = "--scorer", paramLabel = "DIR", description = "CLIPModel directory (config.json, model.safetensors, tokenizer.json).")
    Path scorer;

    @Option(names = "--processor", paramLabel = "DIR",
            description = "Directory with tokenizer.json / preprocessor_config.json (default: the --scorer directory).")
    Path processor;

    @Option(names = "--use", defaultValue = "clip", description = "clip (alignment) or pickscore (preference); default ${DEFAULT-VALUE}.")
    String use;

    @Option(names = "--command", paramLabel = "CMD",
            description = "External scorer, run with sh -c: reads {\"image\",\"text\"} JSON lines, answers one number per line.")
    String command;

    @Option(names = "--timeout", defaultValue = "120", description = "Seconds to wait for each answer of --command (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--image", required = true, paramLabel = "FILE", description = "Image file (repeatable).")
    List<Path> images;

    @Option(names = "--text", required = true, paramLabel = "TEXT", description = "Text (repeatable; one text goes with every image).")
    List<String> texts;

    @Option(names = "--threads", description = "Compute threads (default: available processors).")
    Integer threads;

    @Override
    public Integer call() {
        if ((scorer == null) == (command == null)) {
            System.err.println("score: give either --scorer DIR or --command CMD");
            return 2;
        }
        List<String> paired = texts.size() == 1 ? Collections.nCopies(images.size(), texts.get(0)) : texts;
        if (paired.size() != images.size()) {
            System.err.println("score: " + images.size() + " images and " + texts.size() + " texts; give one text, or one per image");
            return 2;
        }
        ClipScorer.Use clipUse;
        switch (use) {
            case "clip" -> clipUse = ClipScorer.Use.ALIGNMENT;
            case "pickscore" -> clipUse = ClipScorer.Use.PREFERENCE;
            default -> {
                System.err.println("score: --use must be clip or pickscore, got '" + use + "'");
                return 2;
            }
        }
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        try (ComputePool pool = new ComputePool(t)) {
            List<RgbImage> loaded = new ArrayList<>();
            for (Path p : images) {
                loaded.add(ImageFiles.read(p));
            }
            double[] scores;
            String name;
            if (command != null) {
                try (CommandScorer s = new CommandScorer(List.of("sh", "-c", command), "command",
                        Duration.ofSeconds(timeoutSeconds))) {
                    scores = s.score(loaded, paired);
                    name = s.name();
                }
            } else {
                try (ClipScorer s = ClipScorer.load(scorer, processor != null ? processor : scorer, clipUse, pool, false)) {
                    scores = s.score(loaded, paired);
                    name = s.name();
                }
            }
            System.out.println(json(name, paired, scores));
            return 0;
        } catch (CheckpointException | ScorerException | IllegalArgumentException | UncheckedIOException e) {
            System.err.println("score: " + e.getMessage());
            return 1;
        } catch (java.nio.file.NoSuchFileException e) {
            System.err.println("score: no such file: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            System.err.println("score: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return 1;
        }
    }

    private String json(String name, List<String> paired, double[] scores) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode out = m.createObjectNode();
        out.put("scorer", name);
        ArrayNode arr = out.putArray("scores");
        for (int i = 0; i < scores.length; i++) {
            arr.addObject().put("image", images.get(i).toString()).put("text", paired.get(i)).put("score", scores[i]);
        }
        return out.toString();
    }
}
