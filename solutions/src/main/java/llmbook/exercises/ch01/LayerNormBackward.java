package llmbook.exercises.ch01;

/**
 * Exercise ch01.layernorm_backward — the backward pass of LayerNorm, the llm.c way. Q40.
 *
 * <p>Forward (given, per row of a rows×cols matrix): {@code μ = mean(x)}, {@code σ² = mean((x−μ)²)},
 * {@code rstd = 1/√(σ²+ε)}, {@code x̂ = (x−μ)·rstd}, {@code y = x̂ ⊙ w + b}; it saves {@code mean} and {@code rstd}.
 *
 * <p>Backward, by the chain rule through x̂ (write {@code g = dy ⊙ w}):
 * <pre>
 *   db += Σ_rows dy          dw += Σ_rows dy ⊙ x̂
 *   dx += rstd · (g − mean(g) − x̂ · mean(g ⊙ x̂))
 * </pre>
 * The two means come from μ and σ depending on every x in the row. All three gradients are ADDED to.
 * A check you can do by hand: each row of dx sums to 0 (shifting a whole row does not change LayerNorm).
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
