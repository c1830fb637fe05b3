package org.mmada4j.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mmada4j.io.Npy;
import org.mmada4j.io.NpyArray;
import org.mmada4j.vq.Magvit;
import org.mmada4j.vq.MagvitLoader;

/**
 * What the MAGVIT commands share: the default tokenizer directory and reading code arrays.
 *
 * <p>Codes are int64 {@code [B, N]} (the reference layout, row-major over a square grid unless a grid
 * is given), {@code [B, gh, gw]} (a rectangular grid, as {@code image encode} writes for non-square
 * images) or {@code [N]} (one image).
 */
record VqCodes(int[][] rows, int gridHeight, int gridWidth) {
    /** The bundled tiny MAGVIT: {@code models/magvit-tiny} next to the launcher or in the working directory. */
    static Path defaultVq() {
        Path rel = Path.of("models", "magvit-tiny");
        String home = System.getProperty("mmada4j.home");
        if (home != null && Files.isDirectory(Path.of(home).resolve(rel))) {
            return Path.of(home).resolve(rel);
        }
        try {
            Path jar = Path.of(VqCodes.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = jar.getParent(); p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve(rel))) {
                    return p.resolve(rel);
                }
            }
        } catch (Exception ignored) {
            // fall back to the working directory
        }
        return rel;
    }

    static Magvit load(Path vq) throws IOException {
        return MagvitLoader.load(vq != null ? vq : defaultVq());
    }

    /**
     * Reads codes; {@code gh}/{@code gw} (0 = not given) fix the grid of a {@code [B, N]} array, else it
     * must be square. Range checks happen in the quantizer, naming the position.
     */
    static VqCodes read(Path file, int gh, int gw) throws IOException {
        NpyArray a = Npy.read(file);
        if (a.isFloat()) {
            throw new IllegalArgumentException(file + ": codes must be an integer array, got floats");
        }
        int batch;
        int n;
        switch (a.rank()) {
            case 1 -> {
                batch = 1;
                n = a.dim(0);
            }
            case 2 -> {
                batch = a.dim(0);
                n = a.dim(1);
            }
            case 3 -> {
                batch = a.dim(0);
                n = a.dim(1) * a.dim(2);
                if ((gh != 0 || gw != 0) && (gh != a.dim(1) || gw != a.dim(2))) {
                    throw new IllegalArgumentException(file + ": codes have a " + a.dim(1) + "x" + a.dim(2)
                            + " grid but " + gh + "x" + gw + " was given");
                }
                gh = a.dim(1);
                gw = a.dim(2);
            }
            default -> throw new IllegalArgumentException(file + ": codes must be [B, N], [B, gh, gw] or [N], got rank "
                    + a.rank());
        }
        if (batch < 1 || n < 1) {
            throw new IllegalArgumentException(file + ": no codes");
        }
        if ((gh == 0) != (gw == 0)) {
            throw new IllegalArgumentException("give both the grid height and the grid width");
        }
        if (gh == 0) {
            try {
                gh = Magvit.squareSide(n);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage() + " (--grid-height, --grid-width)", e);
            }
            gw = gh;
        } else if ((long) gh * gw != n) {
            throw new IllegalArgumentException(file + ": " + n + " codes per image do not fit a " + gh + "x" + gw + " grid");
        }
        int[][] rows = new int[batch][n];
        long[] v = a.longs();
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < n; i++) {
                long c = v[b * n + i];
                if (c < Integer.MIN_VALUE || c > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(file + ": code " + c + " at [" + b + ", " + i + "] is out of range");
                }
                rows[b][i] = (int) c;
            }
        }
        return new VqCodes(rows, gh, gw);
    }

    /** Decodes every row, naming the file and the row when a code is out of range. */
    float[] decodeAll(Magvit m, Path file, org.mmada4j.tensor.ComputePool pool, int[] outHw) {
        int f = m.upsampleFactor();
        int h = gridHeight * f;
        int w = gridWidth * f;
        int c = m.config().decoder().outCh();
        float[] out = new float[rows.length * c * h * w];
        for (int b = 0; b < rows.length; b++) {
            float[] px;
            try {
                px = m.decode(pool, rows[b], gridHeight, gridWidth);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": row " + b + ": " + e.getMessage(), e);
            }
            System.arraycopy(px, 0, out, b * px.length, px.length);
        }
        outHw[0] = h;
        outHw[1] = w;
        return out;
    }
}
