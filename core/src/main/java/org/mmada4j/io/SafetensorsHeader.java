package org.mmada4j.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mmada4j.tensor.DType;

/**
 * The parsed and fully validated JSON header of a safetensors file (huggingface/safetensors,
 * {@code tensor.rs}): tensor entries in data-offset order and the {@code __metadata__} map.
 *
 * <p>Validation follows the reference library, which is stricter than "no out-of-bounds read":
 * the header is UTF-8 JSON holding one object; every entry has {@code dtype} (a known name),
 * {@code shape} (non-negative integers) and {@code data_offsets} ({@code [begin, end]},
 * {@code end >= begin}); {@code end - begin == product(shape) * bits / 8}; and the ranges, sorted,
 * tile the data region exactly — no overlap, no gap, nothing after the last tensor. Enforcing full
 * coverage costs nothing for files written by any conforming writer (the reference rejects the
 * others with {@code MetadataIncompleteBuffer}) and turns a truncated or appended-to file into an
 * error instead of a silent partial load. Duplicate JSON keys are rejected rather than last-wins.
 */
final class SafetensorsHeader {
    /** The reference's cap on the header (100 MB); MMaDA-8B's header is about 60 KB. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";

    /** Strict JSON: duplicate keys and trailing tokens fail instead of being silently accepted. */
    static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** One tensor: its spec and byte range relative to the start of the data region. */
    record Entry(TensorSpec spec, long begin, long end) {
    }

    final Map<String, Entry> entries; // in data-offset order
    final Map<String, String> metadata;

    private SafetensorsHeader(Map<String, Entry> entries, Map<String, String> metadata) {
        this.entries = entries;
        this.metadata = metadata;
    }

    /**
     * Parses {@code header} (the JSON bytes) and checks it against a data region of
     * {@code dataBytes} bytes; {@code file} only names the file in error messages.
     */
    static SafetensorsHeader parse(Path file, byte[] header, long dataBytes) throws CheckpointException {
        JsonNode root = readJson(file, header, "header");
        if (!root.isObject()) {
            throw new CheckpointException(file, "header is not a JSON object (found " + root.getNodeType() + ")");
        }
        Map<String, String> metadata = Map.of();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                // The reference reads __metadata__ as Option<HashMap<String, String>>: null is "none".
                metadata = field.getValue().isNull() ? Map.of() : stringMap(file, field.getValue(), METADATA_KEY);
            } else {
                entries.add(entry(file, field.getKey(), field.getValue()));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        String previous = null;
        for (Entry e : entries) {
            String name = e.spec().name();
            if (e.end() > dataBytes) {
                throw new CheckpointException(file, "tensor '" + name + "': data_offsets " + range(e)
                        + " reach past the end of the data region (" + dataBytes + " bytes; truncated file?)");
            }
            if (e.begin() < covered) {
                throw new CheckpointException(file, "tensor '" + name + "': data_offsets " + range(e)
                        + " overlap tensor '" + previous + "' (which ends at " + covered + ")");
            }
            if (e.begin() > covered) {
                throw new CheckpointException(file, "tensor '" + name + "': data_offsets " + range(e)
                        + " leave bytes [" + covered + ", " + e.begin() + ") of the data region to no tensor");
            }
            covered = e.end();
            previous = name;
        }
        if (covered != dataBytes) {
            throw new CheckpointException(file, "the data region has " + dataBytes + " bytes but the tensors cover only "
                    + covered + (previous == null ? "" : " (last tensor '" + previous + "')"));
        }
        Map<String, Entry> byName = new LinkedHashMap<>();
        for (Entry e : entries) {
            byName.put(e.spec().name(), e);
        }
        return new SafetensorsHeader(byName, metadata);
    }

    /** Decodes strict UTF-8 and parses one JSON value; {@code what} names the document in errors. */
    static JsonNode readJson(Path file, byte[] bytes, String what) throws CheckpointException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointException(file, what + " is not valid UTF-8", e);
        }
        try {
            JsonNode root = JSON.readTree(text);
            if (root == null || root.isMissingNode()) {
                throw new CheckpointException(file, what + " is empty, expected a JSON object");
            }
            return root;
        } catch (JacksonException e) {
            throw new CheckpointException(file, "invalid " + what + " JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A JSON object whose values are all strings (the {@code __metadata__} map). */
    static Map<String, String> stringMap(Path file, JsonNode node, String field) throws CheckpointException {
        if (!node.isObject()) {
            throw new CheckpointException(file, "field '" + field + "' is not a JSON object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> kv : node.properties()) {
            if (!kv.getValue().isTextual()) {
                throw new CheckpointException(file, "field '" + field + "': value of '" + kv.getKey() + "' is not a string");
            }
            out.put(kv.getKey(), kv.getValue().textValue());
        }
        return Collections.unmodifiableMap(out);
    }

    private static Entry entry(Path file, String name, JsonNode node) throws CheckpointException {
        String where = "tensor '" + name + "'";
        if (!node.isObject()) {
            throw new CheckpointException(file, where + ": entry is not a JSON object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new CheckpointException(file, where + ": field 'dtype' is missing or not a string");
        }
        DType dtype = DType.fromSafetensorsName(dtypeNode.textValue());
        if (dtype == null) {
            throw new CheckpointException(file, where + ": unknown dtype '" + dtypeNode.textValue() + "'");
        }
        long[] shape = longs(file, where, node, "shape", -1);
        long[] offsets = longs(file, where, node, "data_offsets", 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw new CheckpointException(file, where + ": data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        TensorSpec spec;
        long bytes;
        try {
            spec = new TensorSpec(name, dtype, shape);
            bytes = spec.byteSize();
        } catch (ArithmeticException e) {
            throw new CheckpointException(file, where + ": shape " + Arrays.toString(shape) + " of " + dtype + " overflows 64 bits");
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, where + ": shape " + Arrays.toString(shape) + " of " + dtype
                    + " does not fill whole bytes");
        }
        if (end - begin != bytes) {
            throw new CheckpointException(file, where + ": data_offsets [" + begin + ", " + end + "] hold " + (end - begin)
                    + " bytes but shape " + Arrays.toString(shape) + " x " + dtype + " needs " + bytes);
        }
        return new Entry(spec, begin, end);
    }

    /** A JSON array of non-negative integers; {@code length} -1 means any length. */
    private static long[] longs(Path file, String where, JsonNode node, String field, int length) throws CheckpointException {
        JsonNode array = node.get(field);
        if (array == null || !array.isArray()) {
            throw new CheckpointException(file, where + ": field '" + field + "' is missing or not an array");
        }
        if (length >= 0 && array.size() != length) {
            throw new CheckpointException(file, where + ": field '" + field + "' has " + array.size()
                    + " values, expected " + length);
        }
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = array.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw new CheckpointException(file, where + ": field '" + field + "' holds " + v
                        + ", expected a non-negative 64-bit integer");
            }
            out[i] = v.longValue();
        }
        return out;
    }

    private static String range(Entry e) {
        return "[" + e.begin() + ", " + e.end() + "]";
    }
}
