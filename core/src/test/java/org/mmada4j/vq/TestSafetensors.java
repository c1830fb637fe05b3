package org.mmada4j.vq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mmada4j.tensor.DType;
import org.mmada4j.tensor.Tensor;

/** Minimal safetensors reader for tests only, until the io package's reader lands. */
final class TestSafetensors {
    private TestSafetensors() {
    }

    static Map<String, Tensor> read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long headerLen = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, (int) headerLen, java.nio.charset.StandardCharsets.UTF_8));
        MemorySegment all = Arena.ofAuto().allocate(bytes.length - 8 - headerLen);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 8 + headerLen, all, 0, all.byteSize());
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            JsonNode n = e.getValue();
            DType dt = DType.fromSafetensorsName(n.get("dtype").asText());
            long[] shape = new long[n.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = n.get("shape").get(i).asLong();
            }
            long a = n.get("data_offsets").get(0).asLong();
            long b = n.get("data_offsets").get(1).asLong();
            out.put(e.getKey(), new Tensor(dt, shape, all.asSlice(a, b - a)));
        }
        return out;
    }
}
