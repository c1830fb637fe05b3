package org.mmada4j.prompt;

/**
 * One task sequence of {@link Prompting}: token ids and their per-position companions, all of the
 * same length.
 *
 * @param ids           token ids
 * @param attentionMask 1 = real token, 0 = padding the model must not attend to (t2i left padding);
 *                      all ones where the layout has no padding mask
 * @param labels        training targets, {@link Prompting#IGNORE} where no loss is taken; {@code null} for
 *                      inference layouts
 * @param promptMask    1 = prompt (never noised in training, kept by samplers), 0 = to be predicted
 */
public record TaskSequence(int[] ids, int[] attentionMask, int[] labels, int[] promptMask) {
    public TaskSequence {
        check("attentionMask", attentionMask, ids.length);
        check("labels", labels, ids.length);
        check("promptMask", promptMask, ids.length);
    }

    public int length() {
        return ids.length;
    }

    private static void check(String name, int[] a, int n) {
        if (a != null && a.length != n) {
            throw new IllegalArgumentException(name + " has length " + a.length + ", ids " + n);
        }
    }
}
