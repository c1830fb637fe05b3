package org.mmada4j.train;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text rewards of UniGRPO (MMaDA paper §3.3, GSM8K-style): correctness 2.0 when the extracted
 * answer equals the reference, plus format 0.5 when the response is {@code <think>…</think>answer}.
 * The answer is what follows {@code </think>} (else the whole response); its last number is compared
 * numerically when both sides are numbers, the trimmed text otherwise.
 */
public final class MathAnswerReward implements Reward {
    public static final double CORRECT = 2.0;
    public static final double FORMAT = 0.5;
    private static final Pattern FORMAT_RE = Pattern.compile("(?s)^\\s*<think>.+?</think>\\s*\\S.*");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");

    @Override
    public double score(String response, String referenceAnswer) {
        double r = 0;
        if (FORMAT_RE.matcher(response).matches()) {
            r += FORMAT;
        }
        if (equal(extractAnswer(response), referenceAnswer)) {
            r += CORRECT;
        }
        return r;
    }

    /** The text after the last {@code </think>}, or the whole response. */
    public static String extractAnswer(String response) {
        int i = response.lastIndexOf("</think>");
        return (i >= 0 ? response.substring(i + "</think>".length()) : response).strip();
    }

    static boolean equal(String answer, String reference) {
        String a = lastNumber(answer);
        String b = lastNumber(reference);
        if (a != null && b != null) {
            return Double.parseDouble(a) == Double.parseDouble(b);
        }
        return !answer.isEmpty() && answer.equals(reference.strip());
    }

    private static String lastNumber(String s) {
        Matcher m = NUMBER.matcher(s);
        String last = null;
        while (m.find()) {
            last = m.group();
        }
        return last;
    }
}
