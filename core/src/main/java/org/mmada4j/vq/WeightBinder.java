package org.mmada4j.vq;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.mmada4j.tensor.Tensor;

/**
 * Binds checkpoint tensors by name, strictly: every requested name must exist with the expected
 * shape, and after binding ({@link #finish}) every tensor of the file must have been used, except
 * names declared optional (recomputable buffers). Errors name the source and the tensor.
 */
final class WeightBinder {
    private final Map<String, Tensor> tensors;
    private final String source;
    private final Set<String> used = new LinkedHashSet<>();

    WeightBinder(Map<String, Tensor> tensors, String source) {
        this.tensors = tensors;
        this.source = source;
    }

    Tensor take(String name, long... shape) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(source + ": missing tensor '" + name + "' (expected shape "
                    + Arrays.toString(shape) + ")");
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException(source + ": tensor '" + name + "' has shape "
                    + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(shape));
        }
        if (!t.dtype().isComputeStorage()) {
            throw new IllegalArgumentException(source + ": tensor '" + name + "' has dtype " + t.dtype()
                    + ", expected F32, BF16 or F16");
        }
        used.add(name);
        return t;
    }

    float[] vector(String name, int n) {
        return take(name, n).toFloatArray();
    }

    /** Marks a name as allowed but not needed (a buffer the model recomputes); checks its shape if present. */
    void optional(String name, long... shape) {
        Tensor t = tensors.get(name);
        if (t != null) {
            if (!Arrays.equals(t.shape(), shape)) {
                throw new IllegalArgumentException(source + ": tensor '" + name + "' has shape "
                        + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(shape));
            }
            used.add(name);
        }
    }

    /** Fails if the file holds tensors that nothing bound. */
    void finish() {
        Collection<String> extra = new TreeSet<>(tensors.keySet());
        extra.removeAll(used);
        if (!extra.isEmpty()) {
            throw new IllegalArgumentException(source + ": " + extra.size() + " unexpected tensor(s) for this MAGVIT"
                    + " configuration: " + String.join(", ", extra.stream().limit(10).toList())
                    + (extra.size() > 10 ? ", ..." : ""));
        }
    }
}
