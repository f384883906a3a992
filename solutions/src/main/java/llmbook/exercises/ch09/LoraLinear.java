package llmbook.exercises.ch09;

/**
 * Reference solution of ch09.lora_linear — a LoRA linear layer, forward and backward, on plain arrays. Q13.
 *
 * <p>Goal: a frozen linear layer W (out, in) plus a trainable low-rank branch: the input goes through A (r, in)
 * down to r numbers, then through B (out, r) back up to out numbers, scaled by α/r, and is added to the base
 * layer's output. {@link #forward} maps x (rows, in) to y (rows, out). {@link #backward} is given dy = ∂L/∂y for
 * some loss L and returns {dx (rows, in), dA (r, in), dB (out, r)}: how L changes with each entry of x, A and B.
 * W is frozen and gets no gradient. All arrays are row-major. The grader compares your gradients with finite
 * differences of your own forward, so derive them from it (the chain rule through the two small matmuls).
 *
 * <p>Worked example: in = out = 2, r = 1, α = 2, W = 0, A = (1, 1), B = (1, −1)ᵀ, x = (1, 2). The branch reads
 * 1 + 2 = 3 through A, and the layer gives y = (6, −6). With dy = (1, 0) (L is y's first entry),
 * dA = (2, 4), dB = (6, 0)ᵀ and dx = (2, 2). If B were all zeros, y would be x·Wᵀ: exactly the base layer.
 */
public final class LoraLinear {
    private LoraLinear() {}

    public static float[] forward(float[] x, int rows, float[] w, float[] a, float[] b, int in, int out, int r, float alpha) {
        float s = alpha / r;
        float[] h = project(x, rows, a, in, r), y = new float[rows * out];
        for (int i = 0; i < rows; i++)
            for (int o = 0; o < out; o++) {
                float acc = 0;
                for (int k = 0; k < in; k++) acc += x[i * in + k] * w[o * in + k];
                for (int k = 0; k < r; k++) acc += s * h[i * r + k] * b[o * r + k];
                y[i * out + o] = acc;
            }
        return y;
    }

    public static float[][] backward(float[] x, float[] dy, int rows, float[] w, float[] a, float[] b, int in, int out, int r, float alpha) {
        float s = alpha / r;
        float[] h = project(x, rows, a, in, r);
        float[] dx = new float[rows * in], da = new float[r * in], db = new float[out * r], dh = new float[rows * r];
        for (int i = 0; i < rows; i++)
            for (int o = 0; o < out; o++) {
                float g = dy[i * out + o];
                for (int k = 0; k < r; k++) { db[o * r + k] += s * g * h[i * r + k]; dh[i * r + k] += s * g * b[o * r + k]; }
                for (int k = 0; k < in; k++) dx[i * in + k] += g * w[o * in + k];
            }
        for (int i = 0; i < rows; i++)
            for (int k = 0; k < r; k++)
                for (int j = 0; j < in; j++) { da[k * in + j] += dh[i * r + k] * x[i * in + j]; dx[i * in + j] += dh[i * r + k] * a[k * in + j]; }
        return new float[][] {dx, da, db};
    }

    private static float[] project(float[] x, int rows, float[] a, int in, int r) {
        float[] h = new float[rows * r];
        for (int i = 0; i < rows; i++)
            for (int k = 0; k < r; k++) {
                float acc = 0;
                for (int j = 0; j < in; j++) acc += x[i * in + j] * a[k * in + j];
                h[i * r + k] = acc;
            }
        return h;
    }
}
