/**
 * Checkpoint and fixture I/O: safetensors (single files and Hugging Face sharded checkpoints,
 * memory-mapped, validated before use), streaming atomic writers, {@code .npy}.
 *
 * <ul>
 *   <li>{@link org.mmada4j.io.Checkpoint} — open a model directory, index or file; the usual entry point.</li>
 *   <li>{@link org.mmada4j.io.SafetensorsFile} — one mapped {@code .safetensors} file.</li>
 *   <li>{@link org.mmada4j.io.TensorSource} — what both offer: names, specs, read-only tensor views.</li>
 *   <li>{@link org.mmada4j.io.SafetensorsWriter} with {@link org.mmada4j.io.TensorFiller} — single or
 *       sharded files, streamed chunk by chunk, atomically renamed into place.</li>
 *   <li>{@link org.mmada4j.io.CheckpointException} — every bad file: the message names the file and the
 *       tensor or field.</li>
 *   <li>{@link org.mmada4j.io.Npy}, {@link org.mmada4j.io.NpyArray}, {@link org.mmada4j.io.AtomicFiles}.</li>
 * </ul>
 */
package org.mmada4j.io;
