package org.mmada4j.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.mmada4j.io.AtomicFiles;

/**
 * Renders one metric of a {@code metrics.jsonl} (e.g. the loss) against the step as a PNG: the raw
 * curve in light grey and a moving average on top, axes labelled with the range; or means with shaded
 * uncertainty bands, several charts side by side. Plain Java2D, no
 * chart library.
 */
public final class LossCurvePlot {
    private LossCurvePlot() {
    }

    public static void render(Path metricsJsonl, String metric, Path png) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<double[]> pts = new ArrayList<>();
        for (String line : Files.readAllLines(metricsJsonl)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = json.readTree(line);
            if (n.has(metric) && n.get(metric).isNumber() && Double.isFinite(n.get(metric).asDouble())) {
                pts.add(new double[] {n.path("step").asDouble(), n.get(metric).asDouble()});
            }
        }
        render(java.util.Map.of(metric, pts), metric + " vs step (" + metricsJsonl.getFileName() + ")", png);
    }

    private static final Color[] COLORS = {new Color(30, 90, 200), new Color(210, 60, 40), new Color(40, 150, 60),
            new Color(150, 80, 180)};

    /** Several named (step, value) series on one chart, each raw (thin) and smoothed (thick), with a legend. */
    public static void render(java.util.Map<String, List<double[]>> series, String title, Path png) throws IOException {
        renderPanels(List.of(new Panel(title, series)), png);
    }

    /**
     * One chart: named series of points {@code {x, y}} (drawn raw and smoothed) or {@code {x, y, lo, hi}}
     * (a mean with an uncertainty band: the band shaded, the mean drawn as is, not smoothed).
     */
    public record Panel(String title, java.util.Map<String, List<double[]>> series) {
    }

    /** Charts side by side in one PNG (800 px wide each). */
    public static void renderPanels(List<Panel> panels, Path png) throws IOException {
        int pw = 800;
        int h = 480;
        BufferedImage img = new BufferedImage(pw * panels.size(), h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), h);
        for (int i = 0; i < panels.size(); i++) {
            Graphics2D pg = (Graphics2D) g.create(i * pw, 0, pw, h);
            draw(pg, panels.get(i).series(), panels.get(i).title(), pw, h);
            pg.dispose();
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        AtomicFiles.write(png, out.toByteArray());
    }

    private static void draw(Graphics2D g, java.util.Map<String, List<double[]>> series, String title, int w, int h) {
        List<String> names = new ArrayList<>(new java.util.TreeMap<>(series).keySet());
        int left = 70;
        int bottom = 50;
        int top = 40;
        int right = 20;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(title, left, 24);
        g.drawRect(left, top, w - left - right, h - top - bottom);
        double x0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY;
        double y1 = Double.NEGATIVE_INFINITY;
        for (List<double[]> pts : series.values()) {
            for (double[] p : pts) {
                x0 = Math.min(x0, p[0]);
                x1 = Math.max(x1, p[0]);
                for (int k = 1; k < p.length; k++) {
                    y0 = Math.min(y0, p[k]);
                    y1 = Math.max(y1, p[k]);
                }
            }
        }
        if (!Double.isFinite(x0)) {
            return;
        }
        if (x1 == x0) {
            x1 = x0 + 1;
        }
        if (y1 == y0) {
            y1 = y0 + 1;
        }
        double sx = (w - left - right) / (x1 - x0);
        double sy = (h - top - bottom) / (y1 - y0);
        g.drawString(String.format("%.4g", y1), 4, top + 10);
        g.drawString(String.format("%.4g", y0), 4, h - bottom);
        g.drawString(String.format("%.0f", x0), left, h - bottom + 18);
        g.drawString(String.format("%.0f", x1), w - right - 40, h - bottom + 18);
        g.drawString("step", w / 2, h - 12);
        for (int s = 0; s < names.size(); s++) {
            List<double[]> pts = series.get(names.get(s));
            Color c = COLORS[s % COLORS.length];
            boolean banded = !pts.isEmpty() && pts.get(0).length >= 4;
            if (banded) {
                java.awt.geom.Path2D.Double band = new java.awt.geom.Path2D.Double();
                for (int i = 0; i < pts.size(); i++) {
                    double px = left + (pts.get(i)[0] - x0) * sx;
                    double py = h - bottom - (pts.get(i)[3] - y0) * sy;
                    if (i == 0) {
                        band.moveTo(px, py);
                    } else {
                        band.lineTo(px, py);
                    }
                }
                for (int i = pts.size() - 1; i >= 0; i--) {
                    band.lineTo(left + (pts.get(i)[0] - x0) * sx, h - bottom - (pts.get(i)[2] - y0) * sy);
                }
                band.closePath();
                g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 55));
                g.fill(band);
            }
            int window = banded ? 1 : Math.max(1, pts.size() / 20);
            double[] smooth = new double[pts.size()];
            double acc = 0;
            for (int i = 0; i < pts.size(); i++) {
                acc += pts.get(i)[1];
                if (i >= window) {
                    acc -= pts.get(i - window)[1];
                }
                smooth[i] = acc / Math.min(i + 1, window);
            }
            for (int pass = banded ? 1 : 0; pass < 2; pass++) {
                g.setColor(pass == 0 ? new Color(c.getRed(), c.getGreen(), c.getBlue(), 70) : c);
                g.setStroke(new BasicStroke(pass == 0 ? 1f : 2f));
                for (int i = 1; i < pts.size(); i++) {
                    double ya = pass == 0 ? pts.get(i - 1)[1] : smooth[i - 1];
                    double yb = pass == 0 ? pts.get(i)[1] : smooth[i];
                    g.drawLine(left + (int) ((pts.get(i - 1)[0] - x0) * sx), h - bottom - (int) ((ya - y0) * sy),
                            left + (int) ((pts.get(i)[0] - x0) * sx), h - bottom - (int) ((yb - y0) * sy));
                }
            }
            if (names.size() > 1) {
                g.setColor(c);
                g.drawString(names.get(s), w - right - 300, h - bottom - 10 - 16 * (names.size() - 1 - s));
            }
        }
    }
}
