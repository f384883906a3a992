package llmbook.exercises.ch01;

/**
 * Exercise ch01.softmax — softmax over each row of a rows×cols matrix, and its backward. Q32, Q36.
 *
 * <p>Forward: {@code y[j] = exp(x[j] − m) / Σ_i exp(x[i] − m)} with {@code m = max x}: subtracting the max changes
 * nothing mathematically but keeps {@code exp} from overflowing ({@code exp(89)} is already ∞ in float).
 * Backward: with Jacobian {@code ∂y_i/∂x_j = y_i(δ_ij − y_j)}, {@code dx = Jᵀ·dy = y ⊙ (dy − Σ_j dy_j·y_j)}, ADDED to dx.
 * Worked example: x = (1, 2, 3) → y ≈ (0.0900, 0.2447, 0.6652).
 */
public final class StableSoftmax {
    private StableSoftmax() {}

    /** Writes softmax of each row of {@code x} into {@code y} (both rows×cols, row-major). */
    public static void forward(float[] y, float[] x, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) max = Math.max(max, x[o + j]);
            float sum = 0f;
            for (int j = 0; j < cols; j++) {
                float e = (float) Math.exp(x[o + j] - max);
                y[o + j] = e;
                sum += e;
            }
            for (int j = 0; j < cols; j++) y[o + j] /= sum;
        }
    }

    /** Adds {@code y ⊙ (dy − Σ dy⊙y)} (row by row) into {@code dx}; {@code y} is the forward's output. */
    public static void backward(float[] dx, float[] y, float[] dy, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float dot = 0f;
            for (int j = 0; j < cols; j++) dot += dy[o + j] * y[o + j];
            for (int j = 0; j < cols; j++) dx[o + j] += y[o + j] * (dy[o + j] - dot);
        }
    }
}
