package org.mmada4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mmada4j.tensor.DType;
import org.mmada4j.tensor.Tensor;

/** TEMPORARY test stub until the io package's reader lands: trusts the file, no validation. */
final class TinySafetensors {
    private TinySafetensors() {
    }

    static Map<String, Tensor> read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), Arena.ofAuto());
            long n = all.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
            byte[] hdr = all.asSlice(8, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            JsonNode h = new ObjectMapper().readTree(hdr);
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = h.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                JsonNode t = e.getValue();
                long[] shape = new long[t.get("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = t.get("shape").get(i).asLong();
                }
                long a = t.get("data_offsets").get(0).asLong();
                long b = t.get("data_offsets").get(1).asLong();
                out.put(e.getKey(), new Tensor(DType.valueOf(t.get("dtype").asText()), shape,
                        all.asSlice(8 + n + a, b - a)));
            }
            return out;
        }
    }
}
