package llmbook.exercises.ch01;

/**
 * Exercise ch01.softmax — softmax over each row of a rows×cols matrix, and its backward. Q32, Q36.
 *
 * <p>Forward: {@code y[j] = exp(x[j] − m) / Σ_i exp(x[i] − m)} with {@code m = max x}: subtracting the max changes
 * nothing mathematically but keeps {@code exp} from overflowing ({@code exp(89)} is already ∞ in float).
 * Backward: with Jacobian {@code ∂y_i/∂x_j = y_i(δ_ij − y_j)}, {@code dx = Jᵀ·dy = y ⊙ (dy − Σ_j dy_j·y_j)}, ADDED to dx.
 * Worked example: x = (1, 2, 3) → y ≈ (0.0900, 0.2447, 0.6652).
 * Run {@code ./llmbook grade 1} to see your score.
 */
public final class StableSoftmax {
    private StableSoftmax() {}

    /** Writes softmax of each row of {@code x} into {@code y} (both rows×cols, row-major). */
    public static void forward(float[] y, float[] x, int rows, int cols) {
        throw new UnsupportedOperationException("TODO ch01.softmax: per row, subtract the max, exponentiate, divide by the sum");
    }

    /** Adds {@code y ⊙ (dy − Σ dy⊙y)} (row by row) into {@code dx}; {@code y} is the forward's output. */
    public static void backward(float[] dx, float[] y, float[] dy, int rows, int cols) {
        throw new UnsupportedOperationException("TODO ch01.softmax: per row, dot = Σ dy·y, then dx += y·(dy − dot)");
    }
}
