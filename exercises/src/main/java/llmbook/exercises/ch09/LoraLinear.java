package llmbook.exercises.ch09;

/**
 * Exercise ch09.lora_linear — a LoRA linear layer, forward and backward, on plain arrays. Q13.
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
 * Run {@code ./llmbook grade 9} to see your score.
 */
public final class LoraLinear {
    private LoraLinear() {}

    public static float[] forward(float[] x, int rows, float[] w, float[] a, float[] b, int in, int out, int r, float alpha) {
        throw new UnsupportedOperationException("TODO ch09.lora_linear: the base layer plus the scaled low-rank branch");
    }

    public static float[][] backward(float[] x, float[] dy, int rows, float[] w, float[] a, float[] b, int in, int out, int r, float alpha) {
        throw new UnsupportedOperationException("TODO ch09.lora_linear: {dx, dA, dB} by the chain rule through your forward");
    }
}
