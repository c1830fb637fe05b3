package org.mmada4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mmada4j.tensor.DType;
import org.mmada4j.tensor.Tensor;
import org.mmada4j.testing.GoldenSet;

class ModelWeightsTest {
    private final GoldenSet golden = GoldenSet.tiny(); // block 1 and the edits below are tiny's
    private final ModelConfig config = TinyModels.config(golden);

    @Test
    void everyTensorIsBoundByNameWithoutCopy() {
        Map<String, Tensor> t = TinyModels.tensors(golden);
        ModelWeights w = ModelWeights.bind(config, t, "tiny");
        assertEquals(config.nLayers(), w.blocks().size());
        assertSame(t.get("model.transformer.wte.weight"), w.wte());
        assertSame(t.get("model.transformer.ff_out.weight"), w.head());
        assertSame(t.get("model.transformer.blocks.1.ff_proj.weight"), w.blocks().get(1).ffProj());
        assertSame(t.get("model.transformer.blocks.0.up_proj.weight"), w.blocks().get(0).upProj());
        assertSame(t.get("model.transformer.blocks.0.ff_out.weight"), w.blocks().get(0).ffOut());
        assertTrue(w.wte().data().isMapped(), "weights must stay views into the mapped file");
        assertEquals(9 * config.nLayers() + 3, CheckpointNames.expectedShapes(config).size());
    }

    @Test
    void missingTensorIsNamed() {
        Map<String, Tensor> t = new LinkedHashMap<>(TinyModels.tensors(golden));
        t.remove("model.transformer.blocks.1.v_proj.weight");
        assertMessage(t, "missing tensor model.transformer.blocks.1.v_proj.weight");
    }

    @Test
    void extraTensorIsNamed() {
        Map<String, Tensor> t = new LinkedHashMap<>(TinyModels.tensors(golden));
        t.put("model.transformer.blocks." + config.nLayers() + ".q_proj.weight",
                t.get("model.transformer.blocks.0.q_proj.weight"));
        assertMessage(t, "unexpected tensor model.transformer.blocks." + config.nLayers() + ".q_proj.weight");
    }

    @Test
    void misshapedTensorIsNamed() {
        Map<String, Tensor> t = new LinkedHashMap<>(TinyModels.tensors(golden));
        Tensor q = t.get("model.transformer.blocks.0.q_proj.weight");
        t.put("model.transformer.blocks.0.q_proj.weight", q.reshape(q.dim(1), q.dim(0) / 2, 2));
        assertMessage(t, "tensor model.transformer.blocks.0.q_proj.weight has shape");
        Map<String, Tensor> t2 = new LinkedHashMap<>(TinyModels.tensors(golden));
        Tensor ln = t2.get("model.transformer.ln_f.weight");
        t2.put("model.transformer.ln_f.weight", ln.rows(0, ln.dim(0) - 1));
        assertMessage(t2, "tensor model.transformer.ln_f.weight has shape");
    }

    @Test
    void nonFloatDtypeIsNamed() {
        Map<String, Tensor> t = new LinkedHashMap<>(TinyModels.tensors(golden));
        long d = config.dModel();
        t.put("model.transformer.ln_f.weight", new Tensor(DType.I32, new long[] {d},
                MemorySegment.ofArray(new int[(int) d])));
        assertMessage(t, "tensor model.transformer.ln_f.weight has dtype I32");
    }

    private void assertMessage(Map<String, Tensor> t, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelWeights.bind(config, t, "ckpt-dir"));
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertTrue(e.getMessage().startsWith("ckpt-dir"), e.getMessage());
    }
}
