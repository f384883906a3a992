package llmbook.kernels;

/**
 * Softmax and log-softmax along the last axis of a rows×cols matrix. Q32.
 *
 * <p>{@code y[j] = exp(x[j] − max x) / Σ_i exp(x[i] − max x)}: subtracting the row max changes nothing
 * mathematically and keeps {@code exp} from overflowing. Log-softmax is {@code x[j] − max − log Σ exp(x[i] − max)}.
 *
 * <p>Backward (accumulating): softmax {@code dx += y ⊙ (dy − Σ dy⊙y)}; log-softmax {@code dx += dy − exp(y) · Σ dy}.
 */
public final class Softmax {
    private Softmax() {}

    /** {@code y = softmax(x)} row by row; y may equal x (in place). */
    public static void softmaxForward(float[] y, int yOff, float[] x, int xOff, int rows, int cols) {
        check2("Softmax.softmaxForward", "y", y, yOff, "x", x, xOff, rows, cols);
        if (Kernels.usingVector()) SoftmaxVector.softmaxForward(y, yOff, x, xOff, rows, cols);
        else softmaxForwardScalar(y, yOff, x, xOff, rows, cols);
    }

    /** {@code dx += y ⊙ (dy − Σ dy⊙y)} row by row, where y is the saved softmax output. */
    public static void softmaxBackward(float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int rows, int cols) {
        check3("Softmax.softmaxBackward", dx, dxOff, y, yOff, dy, dyOff, rows, cols);
        if (Kernels.usingVector()) SoftmaxVector.softmaxBackward(dx, dxOff, y, yOff, dy, dyOff, rows, cols);
        else softmaxBackwardScalar(dx, dxOff, y, yOff, dy, dyOff, rows, cols);
    }

    /** {@code y = log_softmax(x)} row by row; y may equal x. */
    public static void logSoftmaxForward(float[] y, int yOff, float[] x, int xOff, int rows, int cols) {
        check2("Softmax.logSoftmaxForward", "y", y, yOff, "x", x, xOff, rows, cols);
        if (Kernels.usingVector()) SoftmaxVector.logSoftmaxForward(y, yOff, x, xOff, rows, cols);
        else logSoftmaxForwardScalar(y, yOff, x, xOff, rows, cols);
    }

    /** {@code dx += dy − exp(y) · Σ dy} row by row, where y is the saved log-softmax output. */
    public static void logSoftmaxBackward(float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int rows, int cols) {
        check3("Softmax.logSoftmaxBackward", dx, dxOff, y, yOff, dy, dyOff, rows, cols);
        if (Kernels.usingVector()) SoftmaxVector.logSoftmaxBackward(dx, dxOff, y, yOff, dy, dyOff, rows, cols);
        else logSoftmaxBackwardScalar(dx, dxOff, y, yOff, dy, dyOff, rows, cols);
    }

    // ---- scalar twins ----

    public static void softmaxForwardScalar(float[] y, int yOff, float[] x, int xOff, int rows, int cols) {
        check2("Softmax.softmaxForwardScalar", "y", y, yOff, "x", x, xOff, rows, cols);
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols, yo = yOff + r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) max = Math.max(max, x[xo + j]);
            float sum = 0f;
            for (int j = 0; j < cols; j++) { float e = (float) Math.exp(x[xo + j] - max); y[yo + j] = e; sum += e; }
            float inv = 1f / sum;
            for (int j = 0; j < cols; j++) y[yo + j] *= inv;
        }
    }

    public static void softmaxBackwardScalar(float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int rows, int cols) {
        check3("Softmax.softmaxBackwardScalar", dx, dxOff, y, yOff, dy, dyOff, rows, cols);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float dot = 0f;
            for (int j = 0; j < cols; j++) dot += dy[dyOff + o + j] * y[yOff + o + j];
            for (int j = 0; j < cols; j++) dx[dxOff + o + j] += y[yOff + o + j] * (dy[dyOff + o + j] - dot);
        }
    }

    public static void logSoftmaxForwardScalar(float[] y, int yOff, float[] x, int xOff, int rows, int cols) {
        check2("Softmax.logSoftmaxForwardScalar", "y", y, yOff, "x", x, xOff, rows, cols);
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols, yo = yOff + r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) max = Math.max(max, x[xo + j]);
            float sum = 0f;
            for (int j = 0; j < cols; j++) sum += (float) Math.exp(x[xo + j] - max);
            float shift = max + (float) Math.log(sum);
            for (int j = 0; j < cols; j++) y[yo + j] = x[xo + j] - shift;
        }
    }

    public static void logSoftmaxBackwardScalar(float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int rows, int cols) {
        check3("Softmax.logSoftmaxBackwardScalar", dx, dxOff, y, yOff, dy, dyOff, rows, cols);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float sum = 0f;
            for (int j = 0; j < cols; j++) sum += dy[dyOff + o + j];
            for (int j = 0; j < cols; j++) dx[dxOff + o + j] += dy[dyOff + o + j] - (float) Math.exp(y[yOff + o + j]) * sum;
        }
    }

    static void check2(String kernel, String yn, float[] y, int yOff, String xn, float[] x, int xOff, int rows, int cols) {
        Kernels.checkDim(kernel, "rows", rows);
        Kernels.checkDim(kernel, "cols", cols);
        long size = (long) rows * cols;
        if (Kernels.outside(y, yOff, size)) Kernels.checkArray(kernel, yn + " (rows×cols=" + rows + "×" + cols + ")", y, yOff, size);
        if (Kernels.outside(x, xOff, size)) Kernels.checkArray(kernel, xn + " (rows×cols=" + rows + "×" + cols + ")", x, xOff, size);
    }

    static void check3(String kernel, float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int rows, int cols) {
        check2(kernel, "dx", dx, dxOff, "y", y, yOff, rows, cols);
        if (Kernels.outside(dy, dyOff, (long) rows * cols)) Kernels.checkArray(kernel, "dy (rows×cols=" + rows + "×" + cols + ")", dy, dyOff, (long) rows * cols);
    }
}
