package org.mmada4j.model;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mmada4j.io.TensorFiller;
import org.mmada4j.io.TensorSpec;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.DType;
import org.mmada4j.tensor.Tensor;

/**
 * Random initial weights for training from scratch, generated chunk by chunk so that a checkpoint
 * of any size (MMaDA-8B: 16 GB in bf16) streams to disk through a small buffer.
 *
 * <p>Scheme ("mitchell"-style, the {@code init_fn} MMaDA's configs name, OLMo's scaled init):
 * <ul>
 *   <li>wte, q/k/v_proj, ff_proj, up_proj, ff_out (head): N(0, 1/fan_in), fan_in = d_model;</li>
 *   <li>attn_out of layer i: N(0, 1/(2·d_model·(i+1))); blocks' ff_out: N(0, 1/(2·mlp·(i+1))) — the
 *       residual branches shrink with depth so the stream's variance stays bounded;</li>
 *   <li>RMSNorm weights: 1.</li>
 * </ul>
 * Normals are Irwin–Hall sums of 4 uniforms (mean 0, variance 1, bounded at ±2√3 ≈ ±3.46σ: a
 * truncated normal for free). Every element is a pure function of (seed, tensor index, element
 * index) — a counter-based generator — so the output does not depend on chunking or thread count.
 */
public final class RandomInit {
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int GRAIN = 1 << 16; // elements per parallel task

    private final ModelConfig config;
    private final long seed;
    private final List<TensorSpec> specs;
    private final Map<String, long[]> shapes;

    public RandomInit(ModelConfig config, DType dtype, long seed) {
        if (!dtype.isComputeStorage()) {
            throw new IllegalArgumentException("weights dtype must be F32, BF16 or F16, got " + dtype);
        }
        this.config = config;
        this.seed = seed;
        this.shapes = CheckpointNames.expectedShapes(config);
        List<TensorSpec> s = new ArrayList<>();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            s.add(TensorSpec.of(e.getKey(), dtype, e.getValue()));
        }
        this.specs = List.copyOf(s);
    }

    /** Every tensor of the checkpoint, in {@link CheckpointNames} order. */
    public List<TensorSpec> specs() {
        return specs;
    }

    /** Standard deviation of a tensor (0 for norm weights, which are 1). */
    public double std(String name) {
        double d = config.dModel();
        if (name.endsWith("norm.weight") || name.equals(CheckpointNames.LN_F)) {
            return 0;
        }
        int layer = layerOf(name);
        if (name.endsWith(CheckpointNames.ATTN_OUT)) {
            return 1 / Math.sqrt(2 * d * (layer + 1));
        }
        if (layer >= 0 && name.endsWith(CheckpointNames.FF_OUT)) {
            return 1 / Math.sqrt(2.0 * config.mlpHiddenSize() * (layer + 1));
        }
        return 1 / Math.sqrt(d);
    }

    /** The value of element {@code i} of tensor {@code name}, in fp32 (before rounding to the dtype). */
    public float value(String name, long i) {
        double std = std(name);
        if (std == 0) {
            return 1f;
        }
        return (float) (std * normal(tensorKey(name), i));
    }

    /**
     * A writer callback filling chunks in parallel on {@code pool}. The writer's chunk may be confined
     * to its thread, so workers fill a shared staging buffer that is then copied into the chunk.
     */
    public TensorFiller filler(ComputePool pool) {
        MemorySegment[] staging = {MemorySegment.NULL};
        return (spec, byteOffset, chunk) -> {
            if (staging[0].byteSize() < chunk.byteSize()) {
                staging[0] = Arena.ofAuto().allocate(chunk.byteSize(), 64);
            }
            MemorySegment buf = staging[0];
            int bytes = spec.dtype().bytes();
            long first = byteOffset / bytes;
            int count = (int) (chunk.byteSize() / bytes);
            double std = std(spec.name());
            long key = tensorKey(spec.name());
            DType dt = spec.dtype();
            int tasks = (count + GRAIN - 1) / GRAIN;
            pool.parallelFor(tasks, t -> {
                int to = Math.min(count, (t + 1) * GRAIN);
                for (int j = t * GRAIN; j < to; j++) {
                    float v = std == 0 ? 1f : (float) (std * normal(key, first + j));
                    put(buf, dt, j, v);
                }
            });
            MemorySegment.copy(buf, 0, chunk, 0, chunk.byteSize());
        };
    }

    /** The whole weights in memory as F32 tensors (small models and tests). */
    public Map<String, Tensor> materialize() {
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        for (TensorSpec s : specs) {
            long n = s.elementCount();
            float[] v = new float[Math.toIntExact(n)];
            for (int i = 0; i < v.length; i++) {
                v[i] = value(s.name(), i);
            }
            out.put(s.name(), Tensor.ofFloats(v, s.shape()));
        }
        return out;
    }

    private static void put(MemorySegment chunk, DType dt, long j, float v) {
        switch (dt) {
            case F32 -> chunk.setAtIndex(F32_LE, j, v);
            case BF16 -> chunk.setAtIndex(I16_LE, j, Tensor.floatToBf16(v));
            case F16 -> chunk.setAtIndex(I16_LE, j, Float.floatToFloat16(v));
            default -> throw new IllegalStateException("unreachable: " + dt);
        }
    }

    private long tensorKey(String name) {
        return mix(seed ^ mix(name.hashCode() * 0x9E3779B97F4A7C15L));
    }

    private static int layerOf(String name) {
        String p = CheckpointNames.PREFIX + "blocks.";
        if (!name.startsWith(p)) {
            return -1;
        }
        int dot = name.indexOf('.', p.length());
        return Integer.parseInt(name.substring(p.length(), dot));
    }

    /** Irwin–Hall(4) standardised: four 32-bit uniforms from two SplitMix64 outputs. */
    static double normal(long key, long i) {
        long a = mix(key + (2 * i + 1) * 0x9E3779B97F4A7C15L);
        long b = mix(key + (2 * i + 2) * 0x9E3779B97F4A7C15L);
        double s = (a >>> 32) + (a & 0xffffffffL) + (b >>> 32) + (b & 0xffffffffL);
        return (s * 0x1p-32 - 2.0) * 1.7320508075688772; // (sum − 2)·√3: variance 4/12·3 = 1
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
