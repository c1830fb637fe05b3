package org.mmada4j.vq;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.LinkedHashMap;
import java.util.TreeSet;
import org.mmada4j.tensor.Tensor;

/**
 * Binds checkpoint tensors by name, strictly: every requested name must exist with the expected
 * shape, and after binding ({@link #finish}) every tensor of the file must have been used, except
 * names declared optional (recomputable buffers). Errors name the source and the tensor.
 *
 * <p>{@link #synthetic} binds without a file: every requested tensor is created with PyTorch's default
 * initialisation for its role (conv weights and biases ~ U(±1/√fan_in), as {@code nn.Conv2d}; norm
 * weights 1, biases 0) and recorded, which yields random models of any configuration and the exact
 * list of names and shapes a configuration expects.
 */
final class WeightBinder {
    private final Map<String, Tensor> tensors;
    private final String source;
    private final Set<String> used = new LinkedHashSet<>();
    private final SplittableRandom random; // non-null in synthetic mode
    private final boolean dryRun;          // shapes only: take() records and returns null
    private final Map<String, Tensor> created = new LinkedHashMap<>();
    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private long lastFanIn = 1;

    WeightBinder(Map<String, Tensor> tensors, String source) {
        this.tensors = tensors;
        this.source = source;
        this.random = null;
        this.dryRun = false;
    }

    private WeightBinder(long seed, boolean dryRun) {
        this.tensors = Map.of();
        this.source = "synthetic weights";
        this.random = new SplittableRandom(seed);
        this.dryRun = dryRun;
    }

    static WeightBinder synthetic(long seed) {
        return new WeightBinder(seed, false);
    }

    /**
     * Records the names and shapes a configuration binds without creating anything: {@link #take}
     * returns null, so the layers built are unusable; only {@link #shapes()} is meaningful.
     */
    static WeightBinder dryRun() {
        return new WeightBinder(0, true);
    }

    boolean isDryRun() {
        return dryRun;
    }

    /** Names and shapes requested so far (synthetic and dry-run modes), in binding order. */
    Map<String, long[]> shapes() {
        return shapes;
    }

    /** Tensors created so far in synthetic mode, in binding order. */
    Map<String, Tensor> created() {
        return created;
    }

    Tensor take(String name, long... shape) {
        if (random != null) {
            shapes.put(name, shape.clone());
            if (dryRun) {
                return null;
            }
            Tensor t = Tensor.ofFloats(init(name, shape), shape);
            created.put(name, t);
            return t;
        }
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
        Tensor t = take(name, n);
        return t == null ? null : t.toFloatArray();
    }

    /** PyTorch's default initialisation for a tensor of this name and shape. */
    private float[] init(String name, long[] shape) {
        float[] v = new float[Math.toIntExact(Tensor.elementCount(shape))];
        boolean norm = name.contains("norm");
        if (norm) {
            if (name.endsWith(".weight")) {
                Arrays.fill(v, 1f);
            }
            return v;
        }
        // Conv weight [cout, cin, kh, kw]: fan_in = cin·kh·kw; its bias shares the bound. A bias is
        // bound before nothing else of its layer needs it, so its fan-in comes from the weight just made.
        long fanIn = shape.length == 4 ? shape[1] * shape[2] * shape[3] : lastFanIn;
        if (shape.length == 4) {
            lastFanIn = fanIn;
        }
        double bound = 1.0 / Math.sqrt(fanIn);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((2 * random.nextDouble() - 1) * bound);
        }
        return v;
    }

    /** Marks a name as allowed but not needed (a buffer the model recomputes); checks its shape if present. */
    void optional(String name, long... shape) {
        if (random != null) {
            return;
        }
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
