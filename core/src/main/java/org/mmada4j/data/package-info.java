/**
 * Training data: JSONL datasets read as seeded, resumable streams; images decoded, checked and
 * tokenized once into a cache.
 *
 * <h2>JSONL formats</h2>
 * One JSON object per line (UTF-8; blank lines are ignored). The kind of a file is declared by the
 * training config, never guessed:
 * <ul>
 *   <li>{@code text} (pretraining): {@code {"text": "..."}}</li>
 *   <li>{@code chat} (instruction / Mixed Long-CoT SFT):
 *       {@code {"messages": [{"role": "user", "content": "..."}, {"role": "assistant", "content": "<think>…</think>answer"}]}}
 *       — the prompt is everything up to the last assistant header; the last message must be the assistant's.</li>
 *   <li>{@code caption} (text-to-image and captioning): {@code {"image": "relative/or/absolute.png", "caption": "..."}}
 *       or {@code {"image_base64": "<PNG/JPEG bytes, base64>", "caption": "..."}}</li>
 *   <li>{@code vqa} (image understanding): {@code {"image": ... | "image_base64": ..., "messages": [...]}}</li>
 *   <li>{@code r2i} (Mixed Long-CoT reasoning before an image):
 *       {@code {"prompt": "...", "reasoning": "...", "image": ... | "image_base64": ...}} — the user turn is
 *       {@code prompt} (e.g. the think instruction and the short caption), the assistant turn
 *       {@code <think>reasoning</think>} (the tags are added; reasoning is the detailed description), then
 *       the image tokens; reasoning and image are the targets, predicted jointly.</li>
 * </ul>
 * Relative image paths are resolved against the JSONL file's directory. A line that is not valid JSON
 * or lacks a required field is malformed: depending on {@link org.mmada4j.data.MalformedPolicy} it is
 * a hard error naming file, line and field, or skipped and counted (the count is reported, never
 * silent). A missing or undecodable image is always an error naming the file and line.
 */
package org.mmada4j.data;
