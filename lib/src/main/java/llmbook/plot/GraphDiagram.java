package llmbook.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import llmbook.tensor.Tensor;

/**
 * Draws the computation graph behind a tensor, left (inputs) to right (output): one box per node with its name or
 * op, its value and its gradient (for scalars; the shape otherwise), and an arrow from each input to its op. Q40.
 * A node's column is its depth: the longest path from a leaf.
 */
public final class GraphDiagram {
    private GraphDiagram() {}

    private static final int BOX_W = 150, BOX_H = 58, GAP_X = 60, GAP_Y = 22, PAD = 20;

    /** The graph of everything {@code root} depends on (tensors that require grad). */
    public static BufferedImage draw(Tensor root) {
        List<Tensor> order = root.topoOrder();                     // inputs before outputs
        Map<Tensor, Integer> depth = new IdentityHashMap<>();
        int maxDepth = 0;
        for (Tensor t : order) {
            int d = 0;
            for (Tensor in : t.inputs()) if (depth.containsKey(in)) d = Math.max(d, depth.get(in) + 1);
            depth.put(t, d);
            maxDepth = Math.max(maxDepth, d);
        }
        List<List<Tensor>> columns = new ArrayList<>();
        for (int i = 0; i <= maxDepth; i++) columns.add(new ArrayList<>());
        for (Tensor t : order) columns.get(depth.get(t)).add(t);
        int rows = 1;
        for (List<Tensor> c : columns) rows = Math.max(rows, c.size());
        int w = 2 * PAD + (maxDepth + 1) * BOX_W + maxDepth * GAP_X, h = 2 * PAD + rows * BOX_H + (rows - 1) * GAP_Y;
        Map<Tensor, int[]> at = new IdentityHashMap<>();
        for (int c = 0; c < columns.size(); c++) {
            List<Tensor> col = columns.get(c);
            int top = (h - (col.size() * BOX_H + (col.size() - 1) * GAP_Y)) / 2;
            for (int r = 0; r < col.size(); r++) at.put(col.get(r), new int[] {PAD + c * (BOX_W + GAP_X), top + r * (BOX_H + GAP_Y)});
        }

        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setStroke(new BasicStroke(1.5f));
        g.setColor(new Color(120, 120, 120));
        for (Tensor t : order) {
            int[] to = at.get(t);
            for (Tensor in : t.inputs()) {
                int[] from = at.get(in);
                if (from == null) continue;
                int x1 = from[0] + BOX_W, y1 = from[1] + BOX_H / 2, x2 = to[0], y2 = to[1] + BOX_H / 2;
                g.drawLine(x1, y1, x2, y2);
                double a = Math.atan2(y2 - y1, x2 - x1);
                g.fillPolygon(new int[] {x2, (int) (x2 - 9 * Math.cos(a - 0.35)), (int) (x2 - 9 * Math.cos(a + 0.35))},
                        new int[] {y2, (int) (y2 - 9 * Math.sin(a - 0.35)), (int) (y2 - 9 * Math.sin(a + 0.35))}, 3);
            }
        }
        Font bold = new Font(Font.SANS_SERIF, Font.BOLD, 13), plain = new Font(Font.MONOSPACED, Font.PLAIN, 12);
        for (Tensor t : order) {
            int[] p = at.get(t);
            boolean leaf = t.inputs().isEmpty();
            g.setColor(leaf ? new Color(222, 235, 250) : new Color(252, 236, 214));
            g.fillRoundRect(p[0], p[1], BOX_W, BOX_H, 10, 10);
            g.setColor(new Color(80, 80, 80));
            g.drawRoundRect(p[0], p[1], BOX_W, BOX_H, 10, 10);
            g.setFont(bold);
            String title = t.name() != null ? t.name() + (leaf ? "" : " = " + t.op()) : t.op();
            g.drawString(title, p[0] + 8, p[1] + 17);
            g.setFont(plain);
            g.drawString(t.numel() == 1 ? "value " + num(t.toArray()[0]) : "shape " + llmbook.tensor.Shape.str(t.shape()), p[0] + 8, p[1] + 34);
            Tensor gr = t.grad();
            g.drawString(gr == null ? "grad  -" : gr.numel() == 1 ? "grad  " + num(gr.toArray()[0]) : "grad  " + llmbook.tensor.Shape.str(gr.shape()),
                    p[0] + 8, p[1] + 50);
        }
        g.dispose();
        return img;
    }

    private static String num(float v) { return String.format(Locale.ROOT, "%.4f", v); }
}
