/**
 * Scorers of images against texts: image–text alignment (CLIP-like) and human preference
 * (PickScore / ImageReward-like), behind one interface. UniGRPO uses them as rewards for
 * text-to-image and captioning answers; they sit below {@code train} and above {@code vq} and
 * {@code text}, whose images and tokenizers they read.
 */
package org.mmada4j.score;
