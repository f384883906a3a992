package llmbook.vision;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import llmbook.data.Batches;
import llmbook.tensor.Rng;

/**
 * Synthetic pictures drawn with Java2D and their captions: a shape × a colour × a size × a position, on a grey
 * background with Gaussian pixel noise. Q44.
 * <pre>
 *   4 shapes (circle, square, triangle, cross) × 4 colours (red, green, blue, yellow) × 2 sizes × 4 positions
 *   caption: "a large red circle on the left"
 * </pre>
 * An image is {@code 3·S·S} floats, channel-major (R plane, G plane, B plane), in [0, 1] minus 0.5 plus noise.
 * Holding out some shape/colour combinations from training and asking for them afterwards tests whether a model
 * composes "red" and "circle" or memorised pairs.
 */
public final class ShapeImages {
    private ShapeImages() {}

    public static final List<String> SHAPES = List.of("circle", "square", "triangle", "cross");
    public static final List<String> COLOURS = List.of("red", "green", "blue", "yellow");
    public static final List<String> SIZES = List.of("small", "large");
    public static final List<String> POSITIONS = List.of("left", "right", "top", "bottom");
    private static final Color[] RGB = {new Color(220, 40, 40), new Color(40, 180, 60), new Color(50, 80, 230), new Color(230, 210, 40)};

    /** One picture's content. */
    public record Scene(int shape, int colour, int size, int position) {
        public String caption() {
            return "a " + SIZES.get(size) + " " + COLOURS.get(colour) + " " + SHAPES.get(shape) + " on the " + POSITIONS.get(position);
        }
        /** "red circle": what zero-shot classification asks for. */
        public String colourShape() { return COLOURS.get(colour) + " " + SHAPES.get(shape); }
        /** Index of the (shape, colour) pair, 0 … 15. */
        public int combo() { return shape * COLOURS.size() + colour; }
    }

    /**
     * The scene a caption describes, read word by word: the first size, colour, shape and position word found; an
     * attribute the caption does not name is −1. {@code parse(s.caption())} is {@code s}.
     */
    public static Scene parse(String caption) {
        int size = -1, colour = -1, shape = -1, position = -1;
        for (String w : caption.trim().split("\\s+")) {
            if (size < 0) size = SIZES.indexOf(w);
            if (colour < 0) colour = COLOURS.indexOf(w);
            if (shape < 0) shape = SHAPES.indexOf(w);
            if (position < 0) position = POSITIONS.indexOf(w);
        }
        return new Scene(shape, colour, size, position);
    }

    /** A rendered scene. */
    public record Example(Scene scene, float[] pixels) {}

    /** Every scene (128). */
    public static List<Scene> scenes() {
        List<Scene> out = new ArrayList<>();
        for (int s = 0; s < 4; s++) for (int c = 0; c < 4; c++) for (int z = 0; z < 2; z++) for (int p = 0; p < 4; p++) out.add(new Scene(s, c, z, p));
        return out;
    }

    /**
     * Draws {@code scene} on an S×S canvas: the shape's centre jitters by up to S/16 around its position and its size
     * by ±10 %, then N(0, noise²) is added to every pixel value.
     */
    public static float[] render(Scene scene, int S, float noise, Rng rng) {
        if (S < 8) throw new IllegalArgumentException("ShapeImages: images must be at least 8 pixels wide, got " + S);
        BufferedImage img = new BufferedImage(S, S, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(128, 128, 128));
        g.fillRect(0, 0, S, S);
        double r = S * (scene.size == 0 ? 0.16 : 0.28) * (0.9 + 0.2 * rng.nextDouble());
        double[][] centres = {{0.28, 0.5}, {0.72, 0.5}, {0.5, 0.28}, {0.5, 0.72}};    // left, right, top, bottom
        double jitter = S / 16.0;
        double cx = centres[scene.position][0] * S + (rng.nextDouble() * 2 - 1) * jitter, cy = centres[scene.position][1] * S + (rng.nextDouble() * 2 - 1) * jitter;
        g.setColor(RGB[scene.colour]);
        switch (scene.shape) {
            case 0 -> g.fill(new java.awt.geom.Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r));
            case 1 -> g.fill(new java.awt.geom.Rectangle2D.Double(cx - r * 0.85, cy - r * 0.85, 1.7 * r, 1.7 * r));
            case 2 -> {
                java.awt.geom.Path2D.Double t = new java.awt.geom.Path2D.Double();
                t.moveTo(cx, cy - r); t.lineTo(cx + r, cy + r * 0.8); t.lineTo(cx - r, cy + r * 0.8); t.closePath();
                g.fill(t);
            }
            default -> {
                g.setStroke(new BasicStroke((float) Math.max(1.5, r * 0.55)));
                g.draw(new java.awt.geom.Line2D.Double(cx - r, cy, cx + r, cy));
                g.draw(new java.awt.geom.Line2D.Double(cx, cy - r, cx, cy + r));
            }
        }
        g.dispose();
        float[] px = new float[3 * S * S];
        for (int y = 0; y < S; y++)
            for (int x = 0; x < S; x++) {
                int rgb = img.getRGB(x, y);
                for (int ch = 0; ch < 3; ch++) {
                    int v = (rgb >> (16 - 8 * ch)) & 0xff;
                    px[ch * S * S + y * S + x] = v / 255f - 0.5f + noise * rng.nextGaussian();
                }
            }
        return px;
    }

    /** The scenes whose (shape, colour) pair is in {@code combos}. */
    public static List<Scene> withCombos(Predicate<Integer> combos) {
        return scenes().stream().filter(s -> combos.test(s.combo())).toList();
    }

    /** {@code n} renderings of scenes drawn uniformly from {@code from}. */
    public static List<Example> sample(List<Scene> from, int n, int S, float noise, Rng rng) {
        List<Example> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Scene s = from.get(rng.nextInt(from.size()));
            out.add(new Example(s, render(s, S, noise, rng)));
        }
        return out;
    }

    /** A batch of images (B, 3, S, S) flattened and their captions' token ids (B, T). */
    public record Batch(float[] images, int[] ids, int[] lengths, int B, int T, List<Scene> scenes) {}

    /**
     * Fresh renderings of distinct scenes from {@code from} (so no caption appears twice in a batch, which would make
     * two "right answers" in the contrastive loss), captions encoded by {@code encode} to T tokens each.
     */
    public static Batches<Batch> batches(List<Scene> from, int S, float noise, java.util.function.Function<String, int[]> encode) {
        return batches(from, S, noise, encode, false);
    }

    /**
     * As {@link #batches(List, int, float, java.util.function.Function)}; with {@code hardNegatives} each scene drawn
     * brings along the scenes that differ from it only in shape (same colour, size and position), so within a batch
     * the shape is the only way to tell those captions apart. A random batch of 32 out of 96 scenes rarely holds two
     * scenes that differ only in shape, and a contrastive model can then match pairs on colour, size and position
     * alone and never learn shapes.
     */
    public static Batches<Batch> batches(List<Scene> from, int S, float noise, java.util.function.Function<String, int[]> encode, boolean hardNegatives) {
        int T = encode.apply(from.get(0).caption()).length;
        return (rng, size) -> {
            if (size > from.size()) throw new IllegalArgumentException("ShapeImages: a batch of " + size + " distinct scenes, but only " + from.size() + " exist");
            List<Scene> pool = new ArrayList<>(from), picked = new ArrayList<>(size);
            while (picked.size() < size) {
                Scene s = pool.remove(rng.nextInt(pool.size()));
                picked.add(s);
                if (!hardNegatives) continue;
                for (int i = pool.size() - 1; i >= 0 && picked.size() < size; i--) {
                    Scene o = pool.get(i);
                    if (o.colour == s.colour && o.size == s.size && o.position == s.position) picked.add(pool.remove(i));
                }
            }
            return batch(picked, S, noise, encode, T, rng);
        };
    }

    /** Renders {@code scenes} into one batch. */
    public static Batch batch(List<Scene> scenes, int S, float noise, java.util.function.Function<String, int[]> encode, int T, Rng rng) {
        int b = scenes.size();
        float[] img = new float[b * 3 * S * S];
        int[] ids = new int[b * T], len = new int[b];
        for (int i = 0; i < b; i++) {
            System.arraycopy(render(scenes.get(i), S, noise, rng), 0, img, i * 3 * S * S, 3 * S * S);
            int[] t = encode.apply(scenes.get(i).caption());
            if (t.length != T) throw new IllegalArgumentException("ShapeImages: caption '" + scenes.get(i).caption() + "' has " + t.length + " tokens, expected " + T);
            System.arraycopy(t, 0, ids, i * T, T);
            len[i] = T;
        }
        return new Batch(img, ids, len, b, T, List.copyOf(scenes));
    }
}
