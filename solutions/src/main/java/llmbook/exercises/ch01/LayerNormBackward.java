package llmbook.exercises.ch01;

/**
 * Exercise ch01.layernorm_backward — the backward pass of LayerNorm, the llm.c way. Q40.
 *
 * <p>The forward is given ({@link #forward}): each row of a rows×cols matrix is normalised to mean 0 and variance 1,
 * then scaled by w and shifted by b; it saves each row's mean and 1/std (rstd) for the backward. Write the backward:
 * given dy (the loss's gradient at y), ADD to dx, dw and db the loss's gradients at x, w and b. Derive dx yourself:
 * the catch is that the mean and the variance of a row depend on every x of that row, so moving one x moves every
 * output of its row.
 *
 * <p>Worked example, one row x = (1, 3), w = (1, 1), b = 0, dy = (0.5, 2): x̂ ≈ (−1, 1), so db = (0.5, 2),
 * dw ≈ (−0.5, 2), and dx ≈ (0, 0) — with two features x̂ is always (−1, 1) whatever x is (up to ε), so x has no
 * influence at all. Checks you can do yourself: each row of dx sums to 0 (shifting a whole row changes nothing), and
 * dx matches finite differences of Σ dy·y. Run {@code ./llmbook grade 1} to see your score.
 */
public final class LayerNormBackward {
    private LayerNormBackward() {}

    /** The forward (done for you): fills y, mean (rows), rstd (rows). */
    public static void forward(float[] y, float[] mean, float[] rstd, float[] x, float[] w, float[] b, int rows, int cols, float eps) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float m = 0f;
            for (int j = 0; j < cols; j++) m += x[o + j];
            m /= cols;
            float v = 0f;
            for (int j = 0; j < cols; j++) { float d = x[o + j] - m; v += d * d; }
            v /= cols;
            float s = (float) (1.0 / Math.sqrt(v + eps));
            for (int j = 0; j < cols; j++) y[o + j] = (x[o + j] - m) * s * w[j] + b[j];
            mean[r] = m;
            rstd[r] = s;
        }
    }

    /** Adds the gradients of the forward into dx (rows×cols), dw (cols) and db (cols). */
    public static void backward(float[] dx, float[] dw, float[] db, float[] dy, float[] x, float[] mean, float[] rstd,
                                float[] w, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float m = mean[r], s = rstd[r];
            // the two row means the x-gradient needs: mean(g) and mean(g ⊙ x̂)
            float gMean = 0f, gxMean = 0f;
            for (int j = 0; j < cols; j++) {
                float xh = (x[o + j] - m) * s, g = dy[o + j] * w[j];
                gMean += g;
                gxMean += g * xh;
            }
            gMean /= cols;
            gxMean /= cols;
            for (int j = 0; j < cols; j++) {
                float xh = (x[o + j] - m) * s, g = dy[o + j] * w[j];
                db[j] += dy[o + j];
                dw[j] += dy[o + j] * xh;
                dx[o + j] += s * (g - gMean - xh * gxMean);
            }
        }
    }
}
