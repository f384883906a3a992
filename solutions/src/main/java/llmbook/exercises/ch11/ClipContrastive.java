package llmbook.exercises.ch11;

/**
 * Exercise ch11.clip — CLIP's contrastive loss. Q44.
 *
 * <p>Row i of {@code images} and row i of {@code texts} are a matching image and caption. Scale every row to unit
 * length, score every image against every caption by their dot product times {@code exp(logScale)}, and ask two
 * B-way classifications: each image must pick its own caption (cross-entropy along a row), and each caption its own
 * image (along a column). The loss is the average of the two mean cross-entropies.
 * Worked example: if all rows are equal, every score is the same and the loss is ln B whatever the scale; for
 * B = 2 identical-but-for-sign pairs {@code images = texts = [[1, 0], [-1, 0]]} at logScale = 0 the scores are
 * {@code [[1, −1], [−1, 1]]} and the loss is {@code ln(1 + e^−2)} ≈ 0.1269.
 */
public final class ClipContrastive {
    private ClipContrastive() {}

    public static double loss(double[][] images, double[][] texts, double logScale) {
        int b = images.length;
        double[][] a = unit(images), t = unit(texts), s = new double[b][b];
        double scale = Math.exp(logScale);
        for (int i = 0; i < b; i++) for (int j = 0; j < b; j++) {
            double d = 0;
            for (int k = 0; k < a[i].length; k++) d += a[i][k] * t[j][k];
            s[i][j] = scale * d;
        }
        double rows = 0, cols = 0;
        for (int i = 0; i < b; i++) {
            double[] r = s[i], c = new double[b];
            for (int j = 0; j < b; j++) c[j] = s[j][i];
            rows += lse(r) - r[i];
            cols += lse(c) - c[i];
        }
        return 0.5 * (rows / b + cols / b);
    }

    private static double lse(double[] z) {
        double m = Double.NEGATIVE_INFINITY, s = 0;
        for (double v : z) m = Math.max(m, v);
        for (double v : z) s += Math.exp(v - m);
        return m + Math.log(s);
    }

    private static double[][] unit(double[][] x) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double n = 0;
            for (double v : x[i]) n += v * v;
            n = Math.sqrt(n);
            out[i] = new double[x[i].length];
            for (int k = 0; k < x[i].length; k++) out[i][k] = x[i][k] / n;
        }
        return out;
    }
}
