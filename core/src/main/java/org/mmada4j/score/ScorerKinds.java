package org.mmada4j.score;

import java.nio.file.Path;
import java.util.List;

/**
 * The scorer kinds a reward specification may name ({@link WeightedScorers#parse}), each built from an
 * optional argument (a model directory, resolved against the config's directory). Only scorers that
 * need no downloaded weights exist today; learnt scorers (CLIP, PickScore, ImageReward) join this
 * table as {@code kind → constructor}.
 */
public final class ScorerKinds {
    /** Kinds known to {@link #create}. */
    public static final List<String> KNOWN = List.of("color");

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
            default -> throw new IllegalArgumentException(where + ": unknown reward scorer kind '" + kind + "' (known: "
                    + String.join(", ", KNOWN) + ")");
        };
    }
}
