/**
 * MMaDA's task sequences: the special-token map of a model directory
 * ({@link org.mmada4j.prompt.SpecialTokens}, file {@code mmada_tokens.json} → config.json → MMaDA-8B defaults),
 * the chat template and thinking instruction ({@link org.mmada4j.prompt.ChatTemplate}) and the t2i, mmu, lm,
 * lm_chat and r2i layouts with their attention masks, labels and prompt masks
 * ({@link org.mmada4j.prompt.Prompting}, {@code training/prompting_utils.py}) — pure functions of token ids.
 */
package org.mmada4j.prompt;
