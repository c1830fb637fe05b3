package org.mmada4j.score;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.mmada4j.tensor.ComputePool;

/**
 * The scorer kinds a reward specification may name ({@link WeightedScorers#parse}), each built from an
 * optional argument (a model directory, resolved against the config's directory):
 * <ul>
 *   <li>{@code color}: {@link ColorAlignmentScorer}, no weights;</li>
 *   <li>{@code clip:DIR}, {@code pickscore:DIR}: {@link ClipScorer} on a CLIPModel directory (which must
 *       also hold the processor's {@code tokenizer.json}; for PickScore_v1 copy it and
 *       {@code preprocessor_config.json} from laion/CLIP-ViT-H-14-laion2B-s32B-b79K), weights packed
 *       once (rewards are scored every step), the shared compute pool;</li>
 *   <li>{@code command:CMD}: {@link CommandScorer} running {@code sh -c CMD} (ImageReward and other
 *       Python scorers; CMD cannot contain a comma, which separates terms), 300 s per answer.</li>
 * </ul>
 */
public final class ScorerKinds {
    /** Kinds known to {@link #create}. */
    public static final List<String> KNOWN = List.of("color", "clip", "pickscore", "command");

    private ScorerKinds() {
    }

    /**
     * @param argument the text between the kind and the weight ({@code clip:DIR:0.1} → {@code DIR}), or null
     * @param where    the config key / file naming the spec, for error messages
     */
    public static ImageTextScorer create(String kind, String argument, Path baseDir, String where) {
        return switch (kind) {
            case "color" -> {
                if (argument != null) {
                    throw new IllegalArgumentException(where + ": scorer 'color' takes no argument, got '" + argument
                            + "' (write color:WEIGHT)");
                }
                yield new ColorAlignmentScorer();
            }
            case "clip", "pickscore" -> {
                Path dir = baseDir.resolve(required(kind, argument, "a CLIPModel directory", where));
                try {
                    yield ClipScorer.load(dir, dir, kind.equals("clip") ? ClipScorer.Use.ALIGNMENT
                            : ClipScorer.Use.PREFERENCE, ComputePool.shared(), true);
                } catch (IOException e) {
                    throw new IllegalArgumentException(where + ": scorer '" + kind + "': " + e.getMessage(), e);
                }
            }
            case "command" -> new CommandScorer(List.of("sh", "-c", required(kind, argument, "a command", where)),
                    "command", Duration.ofSeconds(300));
            default -> throw new IllegalArgumentException(where + ": unknown reward scorer kind '" + kind + "' (known: "
                    + String.join(", ", KNOWN) + ")");
        };
    }

    private static String required(String kind, String argument, String what, String where) {
        if (argument == null || argument.isBlank()) {
            throw new IllegalArgumentException(where + ": scorer '" + kind + "' needs " + what + " (write " + kind
                    + ":ARGUMENT:WEIGHT)");
        }
        return argument;
    }
}
