package org.mmada4j.sample;

import java.util.Arrays;

/**
 * Image inpainting and outpainting at the level of code grids (MMADA-REFERENCE §4.3, Show-o's recipe):
 * a pixel mask is reduced to the code grid (a code is regenerated when more than half of its pixels are
 * masked), those codes become MASK and MaskGIT decoding fills them while the known codes, at +max
 * confidence, never change. Outpainting shifts the grid by half its width or height, masks the uncovered
 * half, generates it, and stitches the kept half of the original in front (or on top), giving a canvas of
 * 1.5× the original along that axis.
 */
public final class ImageInpainting {
    /** Which side of the image to extend. */
    public enum Side { LEFT, RIGHT, TOP, BOTTOM }

    /**
     * A grid to generate and how to place it on the output canvas.
     *
     * @param codes     [gh·gw] codes with −1 where to generate
     * @param canvasH   canvas height in codes
     * @param canvasW   canvas width in codes
     * @param canvas    [canvasH·canvasW] the kept original codes, −1 where the generated grid goes
     * @param rowOffset where the generated grid's top-left lands on the canvas
     * @param colOffset "
     */
    public record Outpaint(int[] codes, int gh, int gw, int canvasH, int canvasW, int[] canvas, int rowOffset,
                           int colOffset) {
        /** The canvas with the generated grid {@code generated} ([gh·gw]) placed on it. */
        public int[] stitch(int[] generated) {
            if (generated.length != gh * gw) {
                throw new IllegalArgumentException("generated grid has " + generated.length + " codes, expected "
                        + gh * gw);
            }
            int[] out = canvas.clone();
            for (int r = 0; r < gh; r++) {
                System.arraycopy(generated, r * gw, out, (r + rowOffset) * canvasW + colOffset, gw);
            }
            return out;
        }
    }

    private ImageInpainting() {
    }

    /**
     * The code-grid mask of a pixel mask ({@code mask[h·w]}, 1 = regenerate): per code cell, the fraction of masked
     * pixels &gt; 0.5 (area average, then the reference's 0.5 threshold). The mask must have the image's size.
     */
    public static boolean[] gridMask(float[] mask, int h, int w, int imageH, int imageW, int gh, int gw) {
        if (h != imageH || w != imageW) {
            throw new IllegalArgumentException("mask image is " + w + "x" + h + " but the image is " + imageW + "x"
                    + imageH + ": they must match");
        }
        if (mask.length != h * w) {
            throw new IllegalArgumentException("mask has " + mask.length + " values, expected " + h + "x" + w);
        }
        if (h % gh != 0 || w % gw != 0) {
            throw new IllegalArgumentException("image " + w + "x" + h + " does not divide into a " + gw + "x" + gh
                    + " code grid");
        }
        int ch = h / gh;
        int cw = w / gw;
        boolean[] out = new boolean[gh * gw];
        for (int r = 0; r < gh; r++) {
            for (int c = 0; c < gw; c++) {
                double sum = 0;
                for (int y = r * ch; y < (r + 1) * ch; y++) {
                    for (int x = c * cw; x < (c + 1) * cw; x++) {
                        sum += mask[y * w + x];
                    }
                }
                out[r * gw + c] = sum / (ch * cw) > 0.5;
            }
        }
        return out;
    }

    /** {@code codes} with −1 where {@code gridMask} is set. */
    public static int[] maskCodes(int[] codes, boolean[] gridMask) {
        if (codes.length != gridMask.length) {
            throw new IllegalArgumentException("mask grid has " + gridMask.length + " cells, the image " + codes.length
                    + " codes: they must match");
        }
        int[] out = codes.clone();
        for (int i = 0; i < out.length; i++) {
            if (gridMask[i]) {
                out[i] = -1;
            }
        }
        return out;
    }

    /** The grid to generate when extending a {@code gh×gw} image on {@code side} by half its size. */
    public static Outpaint extend(int[] codes, int gh, int gw, Side side) {
        if (codes.length != gh * gw) {
            throw new IllegalArgumentException(codes.length + " codes do not form a " + gh + "x" + gw + " grid");
        }
        boolean horizontal = side == Side.LEFT || side == Side.RIGHT;
        int half = horizontal ? gw / 2 : gh / 2;
        if (half == 0) {
            throw new IllegalArgumentException("grid " + gh + "x" + gw + " is too small to extend");
        }
        int canvasH = horizontal ? gh : gh + half;
        int canvasW = horizontal ? gw + half : gw;
        int[] grid = new int[gh * gw];
        Arrays.fill(grid, -1);
        int[] canvas = new int[canvasH * canvasW];
        Arrays.fill(canvas, -1);
        // the generated grid overlaps the original by (size - half); the original's far part is kept on the canvas
        int gridRow = side == Side.TOP ? 0 : side == Side.BOTTOM ? half : 0;
        int gridCol = side == Side.LEFT ? 0 : side == Side.RIGHT ? half : 0;
        int origRow = side == Side.TOP ? half : 0;
        int origCol = side == Side.LEFT ? half : 0;
        for (int r = 0; r < gh; r++) {
            for (int c = 0; c < gw; c++) {
                int cr = origRow + r;
                int cc = origCol + c;
                canvas[cr * canvasW + cc] = codes[r * gw + c];
                int gr = cr - gridRow;
                int gc = cc - gridCol;
                if (gr >= 0 && gr < gh && gc >= 0 && gc < gw) {
                    grid[gr * gw + gc] = codes[r * gw + c];
                }
            }
        }
        return new Outpaint(grid, gh, gw, canvasH, canvasW, canvas, gridRow, gridCol);
    }

    /** The t2i row's image part: token ids of known codes, MASK where the code is −1. */
    public static int[] imageIds(int[] codes, int imageOffset, int maskId) {
        int[] ids = new int[codes.length];
        for (int i = 0; i < codes.length; i++) {
            ids[i] = codes[i] < 0 ? maskId : imageOffset + codes[i];
        }
        return ids;
    }
}
