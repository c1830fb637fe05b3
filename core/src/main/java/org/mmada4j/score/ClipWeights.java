package org.mmada4j.score;

import java.util.Arrays;
import org.mmada4j.io.Checkpoint;
import org.mmada4j.io.CheckpointException;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.PackedWeight;
import org.mmada4j.tensor.Tensor;

/**
 * Looks up CLIP tensors by their Hugging Face names and checks their shapes, so that a wrong or
 * partial checkpoint fails at load with the tensor and the file named rather than deep in a GEMM.
 */
final class ClipWeights {
    private final Checkpoint source;
    private final ComputePool packPool; // null: matrices stay in the mapped file

    ClipWeights(Checkpoint source, ComputePool packPool) {
        this.source = source;
        this.packPool = packPool;
    }

    /** The file(s) a message should point at: the one safetensors file, or the shards. */
    private String where() {
        var files = source.files();
        return files.size() == 1 ? files.get(0).toString() : files.size() + " shards " + files;
    }

    /** The tensor {@code name}, a view into the mapped file, of exactly {@code shape}. */
    Tensor tensor(String name, long... shape) throws CheckpointException {
        if (!source.contains(name)) {
            throw new CheckpointException(source.path(), "CLIP tensor '" + name + "' is missing from " + where()
                    + " (expected shape " + Arrays.toString(shape) + ")");
        }
        Tensor t = source.get(name);
        if (!Arrays.equals(t.shape(), shape)) {
            throw new CheckpointException(source.path(), "CLIP tensor '" + name + "' in " + where() + " has shape "
                    + Arrays.toString(t.shape()) + ", config.json implies " + Arrays.toString(shape));
        }
        return t;
    }

    /** A vector (bias, norm weight, embedding) copied to the heap as fp32. */
    float[] vector(String name, int length) throws CheckpointException {
        return tensor(name, length).toFloatArray();
    }

    /** {@code logit_scale}: a scalar, stored as shape [] or [1]. */
    float scalar(String name) throws CheckpointException {
        if (!source.contains(name)) {
            throw new CheckpointException(source.path(), "CLIP tensor '" + name + "' is missing from " + where()
                    + " (expected a scalar)");
        }
        Tensor t = source.get(name);
        if (t.size() != 1) {
            throw new CheckpointException(source.path(), "CLIP tensor '" + name + "' in " + where() + " has shape "
                    + Arrays.toString(t.shape()) + ", expected a scalar");
        }
        return t.getFloat(0);
    }

    /** A linear layer {@code prefix.weight [out, in]} with {@code prefix.bias [out]}, or without a bias. */
    ClipLinear linear(String prefix, int out, int in, boolean bias) throws CheckpointException {
        Tensor w = tensor(prefix + ".weight", out, in);
        return new ClipLinear(w, packPool == null ? null : PackedWeight.pack(packPool, w),
                bias ? vector(prefix + ".bias", out) : null);
    }

    /** A LayerNorm {@code prefix.weight}, {@code prefix.bias}. */
    ClipLayerNorm layerNorm(String prefix, int dim, float eps) throws CheckpointException {
        return new ClipLayerNorm(vector(prefix + ".weight", dim), vector(prefix + ".bias", dim), eps);
    }
}
