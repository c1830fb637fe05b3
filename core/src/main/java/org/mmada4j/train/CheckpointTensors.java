package org.mmada4j.train;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mmada4j.io.CheckpointException;
import org.mmada4j.io.SafetensorsFile;
import org.mmada4j.io.SafetensorsWriter;
import org.mmada4j.io.TensorSpec;
import org.mmada4j.tensor.DType;
import org.mmada4j.tensor.Tensor;

/**
 * A {@link ParameterSet} (heap fp32 arrays: master weights, AdamW moments, gradients) to and from
 * safetensors through the {@code io} package: written F32 or BF16 (atomically, streamed in chunks),
 * read from F32, BF16 or F16 widened to fp32, in the file's data order. Errors name the file and tensor.
 */
public final class CheckpointTensors {
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private CheckpointTensors() {
    }

    /** Storage dtype of a written file. */
    public enum Precision { F32, BF16 }

    /** Writes {@code set} to {@code file} (temporary sibling, then rename). */
    public static void write(ParameterSet set, Precision precision, Path file) throws IOException {
        DType dtype = precision == Precision.F32 ? DType.F32 : DType.BF16;
        List<TensorSpec> specs = new ArrayList<>();
        Map<String, float[]> values = new HashMap<>();
        for (ParameterSet.Entry e : set.entries()) {
            specs.add(TensorSpec.of(e.name(), dtype, e.shape()));
            values.put(e.name(), e.values());
        }
        SafetensorsWriter.write(file, specs, Map.of("format", "pt"), (spec, byteOffset, chunk) -> {
            float[] v = values.get(spec.name());
            int bytesPer = (int) dtype.byteSize(1);
            int first = (int) (byteOffset / bytesPer);
            int count = (int) (chunk.byteSize() / bytesPer);
            if (dtype == DType.F32) {
                MemorySegment.copy(v, first, chunk, F32_LE, 0, count);
                return;
            }
            for (int i = 0; i < count; i++) {
                chunk.set(I16_LE, 2L * i, Tensor.floatToBf16(v[first + i]));
            }
        });
    }

    /** Reads every tensor of a safetensors file as fp32, in the file's data order. */
    public static ParameterSet read(Path file) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            ParameterSet set = new ParameterSet();
            for (String name : f.names()) {
                TensorSpec spec = f.spec(name);
                if (!spec.dtype().isComputeStorage()) {
                    throw new CheckpointException(file, "tensor " + name + " has dtype " + spec.dtype()
                            + "; training tensors are F32, BF16 or F16");
                }
                if (spec.elementCount() > Integer.MAX_VALUE - 8) {
                    throw new CheckpointException(file, "tensor " + name + " has too many elements for a training parameter");
                }
                set.add(name, spec.shape(), f.get(name).toFloatArray());
            }
            return set;
        }
    }
}
