package org.mmada4j.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mmada4j.io.Checkpoint;
import org.mmada4j.tensor.ComputePool;
import org.mmada4j.tensor.Tensor;
import org.mmada4j.testing.GoldenSet;

/** Loads the model of a golden directory for tests. */
final class TinyModels {
    private TinyModels() {
    }

    static ModelConfig config(GoldenSet g) {
        try {
            return ModelConfig.load(g.file("config.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Tensor> tensors(GoldenSet g) {
        try {
            // Views stay valid until the test JVM exits (the mapping is never closed here).
            // The set's directory: model.safetensors, or bf16 shards with model.safetensors.index.json.
            Checkpoint c = Checkpoint.open(g.dir());
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (String name : c.names()) {
                out.put(name, c.get(name));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MmadaModel load(GoldenSet g) {
        return MmadaModel.of(config(g), tensors(g), g.dir().toString(), ComputePool.shared());
    }
}
