package org.mmada4j.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mmada4j.score.ImageTextScorer;
import org.mmada4j.vq.RgbImage;

/**
 * The image-understanding reward of UniGRPO (MMaDA paper §3.3): a text reward against the reference
 * answer (correctness 2.0 + format 0.5) plus an image–text scorer of each response against the prompt's
 * image — the paper's captioning term {@code 0.1·CLIP(image, text)}, the weight inside the scorer
 * ({@link org.mmada4j.score.WeightedScorers}). The G responses are scored in one batch.
 */
public final class CaptionReward implements ResponseReward {
    private final ResponseReward text;
    private final ImageTextScorer caption;

    public CaptionReward(Reward text, ImageTextScorer caption) {
        this.text = ResponseReward.each(text);
        this.caption = caption;
    }

    @Override
    public double[] score(UniGrpo.Prompt prompt, List<String> responses) {
        return scoreTerms(prompt, responses).total();
    }

    /** Terms {@code answer} (correctness + format) and {@code caption} (the weighted scorer). */
    @Override
    public Scored scoreTerms(UniGrpo.Prompt prompt, List<String> responses) {
        if (prompt.image() == null) {
            throw new IllegalArgumentException("caption reward " + caption.name() + " needs the prompt's image");
        }
        double[] answer = text.score(prompt, responses);
        List<RgbImage> images = new ArrayList<>(Collections.nCopies(responses.size(), prompt.image()));
        double[] c = caption.score(images, responses);
        double[] total = new double[answer.length];
        for (int i = 0; i < total.length; i++) {
            total[i] = answer[i] + c[i];
        }
        Map<String, double[]> terms = new LinkedHashMap<>();
        terms.put("answer", answer);
        terms.put("caption", c);
        return new Scored(total, terms);
    }
}
