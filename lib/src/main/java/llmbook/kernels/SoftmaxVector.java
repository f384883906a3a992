package llmbook.kernels;


import jdk.incubator.vector.FloatVector;

/** Vector API softmax / log-softmax, row by row (rows split across threads; each row's arithmetic is fixed). */
final class SoftmaxVector {
    private SoftmaxVector() {}

    private static final int L = Vec.L;

    /** Rows per thread slice: split only when there are at least this many elements. */
    static final int PARALLEL_MIN = 1 << 17;

    static int slices(long elements, int rows) {
        return elements < PARALLEL_MIN ? 1 : Math.min(Kernels.threads(), rows);
    }

    static void softmaxForward(float[] y, int yOff, float[] x, int xOff, int rows, int cols) {
        int sl = slices((long) rows * cols, rows);
        Kernels.parallel(sl, s -> {
            for (int r = rows * s / sl, end = rows * (s + 1) / sl; r < end; r++) {
                int xo = xOff + r * cols, yo = yOff + r * cols;
                float max = Vec.max(x, xo, cols);
                float sum = Vec.expShift(y, yo, x, xo, cols, max);
                Vec.scaleShift(y, yo, y, yo, cols, 1f / sum, 0f);
            }
        });
    }

    static void logSoftmaxForward(float[] y, int yOff, float[] x, int xOff, int rows, int cols) {
        int sl = slices((long) rows * cols, rows);
        Kernels.parallel(sl, s -> {
            for (int r = rows * s / sl, end = rows * (s + 1) / sl; r < end; r++) {
                int xo = xOff + r * cols, yo = yOff + r * cols;
                float max = Vec.max(x, xo, cols);
                float shift = max + (float) Math.log(Vec.expShiftSum(x, xo, cols, max));
                Vec.scaleShift(y, yo, x, xo, cols, 1f, -shift);
            }
        });
    }

    static void softmaxBackward(float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int rows, int cols) {
        int sl = slices((long) rows * cols, rows);
        Kernels.parallel(sl, s -> {
            for (int r = rows * s / sl, end = rows * (s + 1) / sl; r < end; r++) {
                int o = r * cols;
                float dot = Vec.dot(dy, dyOff + o, y, yOff + o, cols);
                softmaxBackRow(dx, dxOff + o, y, yOff + o, dy, dyOff + o, cols, dot);
            }
        });
    }

    /** dx += y ⊙ (dy − dot). */
    private static void softmaxBackRow(float[] dx, int dxo, float[] y, int yo, float[] dy, int dyo, int n, float dot) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector yv = FloatVector.fromArray(Vec.S, y, yo + i);
            FloatVector g = FloatVector.fromArray(Vec.S, dy, dyo + i).sub(dot);
            yv.fma(g, FloatVector.fromArray(Vec.S, dx, dxo + i)).intoArray(dx, dxo + i);
        }
        for (; i < n; i++) dx[dxo + i] += y[yo + i] * (dy[dyo + i] - dot);
    }

    static void logSoftmaxBackward(float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int rows, int cols) {
        int sl = slices((long) rows * cols, rows);
        Kernels.parallel(sl, s -> {
            for (int r = rows * s / sl, end = rows * (s + 1) / sl; r < end; r++) {
                int o = r * cols;
                float sum = Vec.sum(dy, dyOff + o, cols);
                logSoftmaxBackRow(dx, dxOff + o, y, yOff + o, dy, dyOff + o, cols, sum);
            }
        });
    }

    /** dx += dy − exp(y)·sum. */
    private static void logSoftmaxBackRow(float[] dx, int dxo, float[] y, int yo, float[] dy, int dyo, int n, float sum) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector e = Vec.exp(FloatVector.fromArray(Vec.S, y, yo + i));
            FloatVector d = FloatVector.fromArray(Vec.S, dx, dxo + i).add(FloatVector.fromArray(Vec.S, dy, dyo + i));
            e.mul(-sum).add(d).intoArray(dx, dxo + i);
        }
        for (; i < n; i++) dx[dxo + i] += dy[dyo + i] - (float) Math.exp(y[yo + i]) * sum;
    }
}
