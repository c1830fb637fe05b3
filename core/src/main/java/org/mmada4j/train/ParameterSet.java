package org.mmada4j.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named fp32 tensors in a fixed order: the trainable parameters (fp32 master weights), their
 * gradients, and AdamW's moments all share this shape. Names are the checkpoint's state-dict keys.
 */
public final class ParameterSet {
    /** One tensor: its name, shape and values (row-major). */
    public record Entry(String name, long[] shape, float[] values) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    public ParameterSet add(String name, long[] shape, float[] values) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException("tensor " + name + " of shape " + Arrays.toString(shape)
                    + " needs " + n + " values, got " + values.length);
        }
        if (entries.putIfAbsent(name, new Entry(name, shape.clone(), values)) != null) {
            throw new IllegalArgumentException("duplicate tensor name " + name);
        }
        return this;
    }

    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no tensor named " + name);
        }
        return e;
    }

    public float[] get(String name) {
        return entry(name).values();
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    public List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(entries.keySet()));
    }

    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    public int size() {
        return entries.size();
    }

    public long elementCount() {
        long n = 0;
        for (Entry e : entries.values()) {
            n += e.values().length;
        }
        return n;
    }

    /** Same names and shapes, values zero (gradients, moments). */
    public ParameterSet zerosLike() {
        ParameterSet z = new ParameterSet();
        for (Entry e : entries.values()) {
            z.add(e.name(), e.shape(), new float[e.values().length]);
        }
        return z;
    }

    /** A deep copy. */
    public ParameterSet copy() {
        ParameterSet c = new ParameterSet();
        for (Entry e : entries.values()) {
            c.add(e.name(), e.shape(), e.values().clone());
        }
        return c;
    }

    public void zero() {
        for (Entry e : entries.values()) {
            Arrays.fill(e.values(), 0f);
        }
    }

    /** Checks that {@code other} has exactly the same names and shapes; the message names the first difference. */
    public void requireSameLayout(ParameterSet other, String what) {
        for (Entry e : entries.values()) {
            Entry o = other.entries.get(e.name());
            if (o == null) {
                throw new IllegalArgumentException(what + " lacks tensor " + e.name());
            }
            if (!Arrays.equals(e.shape(), o.shape())) {
                throw new IllegalArgumentException(what + " tensor " + e.name() + " has shape " + Arrays.toString(o.shape())
                        + ", expected " + Arrays.toString(e.shape()));
            }
        }
        for (String n : other.entries.keySet()) {
            if (!entries.containsKey(n)) {
                throw new IllegalArgumentException(what + " has unexpected tensor " + n);
            }
        }
    }
}
