/**
 * Scorers of images against texts: image–text alignment (CLIP-like) and human preference
 * (PickScore / ImageReward-like), behind one interface. UniGRPO uses them as rewards for
 * text-to-image and captioning answers; they sit below {@code train} and above {@code vq} and
 * {@code text}, whose images and tokenizers they read.
 *
 * <p>{@link org.mmada4j.score.ClipModel} is Hugging Face's {@code CLIPModel} in Java (loaded from a
 * model directory), with {@link org.mmada4j.score.ClipImageProcessor} and
 * {@link org.mmada4j.score.ClipTextProcessor} as its {@code CLIPProcessor};
 * {@link org.mmada4j.score.ClipScorer} serves it as the {@code clip} (alignment) or {@code pickscore}
 * (preference) scorer. {@link org.mmada4j.score.CommandScorer} plugs in any external scorer process.
 */
package org.mmada4j.score;
