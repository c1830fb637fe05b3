package org.mmada4j.score;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mmada4j.vq.RgbImage;

/**
 * A weighted sum of image–text scorers, {@code Σ wₖ·scorerₖ(image, text)} — the paper's T2I reward
 * {@code 0.1·CLIP + 0.1·ImageReward}, or a caption reward's {@code 0.1·CLIP}. Specified in configs as
 * comma-separated terms {@code kind[:argument]:weight}, e.g. {@code color:1.0} or
 * {@code clip:models/clip:0.1,pickscore:models/pickscore:0.1} (the argument is everything between the
 * first and the last colon).
 */
public final class WeightedScorers implements ImageTextScorer {
    /** One term of the sum. */
    public record Term(ImageTextScorer scorer, double weight) {
    }

    private final List<Term> terms;

    public WeightedScorers(List<Term> terms) {
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("a weighted reward needs at least one scorer");
        }
        this.terms = List.copyOf(terms);
    }

    /**
     * Parses {@code kind[:argument]:weight[,…]}; kinds come from {@link ScorerKinds}. {@code where} (the key
     * and file) is named in every error.
     */
    public static WeightedScorers parse(String spec, Path baseDir, String where) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException(where + ": empty reward specification (expected kind[:argument]:weight,…)");
        }
        List<Term> terms = new ArrayList<>();
        for (String part : spec.split(",")) {
            String t = part.strip();
            int first = t.indexOf(':');
            int last = t.lastIndexOf(':');
            if (first < 0) {
                throw new IllegalArgumentException(where + ": reward term '" + t + "' has no weight (expected kind:weight"
                        + " or kind:argument:weight)");
            }
            String kind = t.substring(0, first).strip().toLowerCase(Locale.ROOT);
            String argument = first == last ? null : t.substring(first + 1, last).strip();
            double weight;
            try {
                weight = Double.parseDouble(t.substring(last + 1).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": weight of reward term '" + t + "' is not a number");
            }
            if (!Double.isFinite(weight)) {
                throw new IllegalArgumentException(where + ": weight of reward term '" + t + "' must be finite");
            }
            terms.add(new Term(ScorerKinds.create(kind, argument, baseDir, where), weight));
        }
        return new WeightedScorers(terms);
    }

    public List<Term> terms() {
        return terms;
    }

    /** Each term's unweighted scores, [terms][pairs]. */
    public double[][] scoreTerms(List<RgbImage> images, List<String> texts) {
        if (images.size() != texts.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + texts.size() + " texts");
        }
        double[][] out = new double[terms.size()][];
        for (int k = 0; k < out.length; k++) {
            out[k] = terms.get(k).scorer().score(images, texts);
            if (out[k].length != images.size()) {
                throw new IllegalStateException("scorer " + terms.get(k).scorer().name() + " gave " + out[k].length
                        + " scores for " + images.size() + " pairs");
            }
        }
        return out;
    }

    /** The weighted sum of {@link #scoreTerms}. */
    public double[] combine(double[][] termScores) {
        double[] sum = new double[termScores.length == 0 ? 0 : termScores[0].length];
        for (int k = 0; k < termScores.length; k++) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += terms.get(k).weight() * termScores[k][i];
            }
        }
        return sum;
    }

    @Override
    public double[] score(List<RgbImage> images, List<String> texts) {
        return combine(scoreTerms(images, texts));
    }

    /** E.g. {@code 0.1*clip+0.1*pickscore}. */
    @Override
    public String name() {
        StringBuilder sb = new StringBuilder();
        for (Term t : terms) {
            if (!sb.isEmpty()) {
                sb.append('+');
            }
            sb.append(t.weight()).append('*').append(t.scorer().name());
        }
        return sb.toString();
    }
}
