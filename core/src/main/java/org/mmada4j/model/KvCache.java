package org.mmada4j.model;

/**
 * Keys (after RoPE) and values of every layer for a batch of sequences of one length, so that a
 * later {@link MmadaModel#forwardWindow} recomputes only a window of positions (Fast-dLLM's prefix
 * and dual caches). A forward pass given the cache writes the fresh keys and values of its window.
 *
 * <p>Per layer: {@code k[layer]}, {@code v[layer]} are {@code [batch, length, n_kv_heads·head_dim]}.
 */
public final class KvCache {
    private final int batch;
    private final int length;
    private final int width;
    final float[][] k;
    final float[][] v;

    KvCache(int layers, int batch, int length, int width) {
        long elems = (long) batch * length * width;
        if (elems > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("KV cache of " + batch + "x" + length + "x" + width
                    + " per layer does not fit a Java array");
        }
        this.batch = batch;
        this.length = length;
        this.width = width;
        this.k = new float[layers][(int) elems];
        this.v = new float[layers][(int) elems];
    }

    public int batch() {
        return batch;
    }

    public int length() {
        return length;
    }

    public int layers() {
        return k.length;
    }

    /** Layer's keys [batch, length, width] after RoPE (live view). */
    public float[] keys(int layer) {
        return k[layer];
    }

    /** Layer's values [batch, length, width] (live view). */
    public float[] values(int layer) {
        return v[layer];
    }

    /** Copies a window's fresh K/V ([batch, end-start, width]) into positions [start, end). */
    void write(int layer, float[] kWin, float[] vWin, int start, int end) {
        int w = end - start;
        for (int b = 0; b < batch; b++) {
            System.arraycopy(kWin, b * w * width, k[layer], (b * length + start) * width, w * width);
            System.arraycopy(vWin, b * w * width, v[layer], (b * length + start) * width, w * width);
        }
    }
}
