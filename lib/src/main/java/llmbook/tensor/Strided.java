package llmbook.tensor;

import llmbook.kernels.Kernels;

/**
 * The one strided loop behind every broadcasting elementwise op and every view's backward. No Tensor here.
 *
 * <p>All operands are read (or written) through rank-4 strides over a common rank-4 shape; a broadcast axis has
 * stride 0. Writing with stride 0 into the output is how a gradient is summed over broadcast axes:
 * {@code ACC} with output strides {@code (0, 0, 3, 1)} adds every batch of {@code g} into one (3, ·) block.
 * The switch on the op code sits outside the innermost loop, so each inner loop is a plain strided loop.
 */
final class Strided {
    private Strided() {}

    static final int COPY = 0;     // o = x
    static final int ADD = 1;      // o = x + y
    static final int SUB = 2;      // o = x - y
    static final int MUL = 3;      // o = x * y
    static final int DIV = 4;      // o = x / y
    static final int ACC = 5;      // o += x
    static final int ACC_NEG = 6;  // o -= x
    static final int ACC_MUL = 7;  // o += x * y
    static final int MAX = 8;      // o = max(x, y)

    /** Contiguous ops at least this long are split across the kernel threads (each element is independent). */
    static final int PARALLEL_MIN = 1 << 16;

    /** Runs {@code code} over the rank-4 index space {@code n4}; {@code y} may be null for one-input codes. */
    static void run(int code, float[] o, int oOff, int[] os, float[] x, int xOff, int[] xs,
                    float[] y, int yOff, int[] ys, int[] n4) {
        int[] n = n4;
        // collapse to one row when every operand is contiguous over the whole index space
        if (rowMajor(os, n) && rowMajor(xs, n) && (y == null || rowMajor(ys, n))) {
            int len = n[0] * n[1] * n[2] * n[3];
            if (len < PARALLEL_MIN) dense(code, o, oOff, x, xOff, y, yOff, len);
            else Kernels.parallelRange(len, PARALLEL_MIN / 2, (a, b) -> dense(code, o, oOff + a, x, xOff + a, y, y == null ? 0 : yOff + a, b - a));
            return;
        }
        int[] yst = y == null ? new int[4] : ys;       // a one-input code reads no y: any strides do
        // Rows of the output: the outer axes it does not broadcast over (stride ≠ 0). The axes it does (stride 0: a
        // gradient summed over a batch) are looped inside each output row, in order, so every output element receives
        // its terms in the order of the plain nested loop, on any number of threads.
        int outRows = 1, sumRows = 1;
        for (int d = 0; d < 3; d++) if (os[d] != 0) outRows *= n[d]; else sumRows *= n[d];
        long work = (long) outRows * sumRows * n[3];
        if (outRows < 2 || work < PARALLEL_MIN) {
            rows(code, o, oOff, os, x, xOff, xs, y, yOff, yst, n, 0, outRows);
            return;
        }
        int perRow = (int) Math.min(Integer.MAX_VALUE, work / outRows);
        Kernels.parallelRange(outRows, Math.max(1, PARALLEL_MIN / 2 / Math.max(1, perRow)),
                (from, to) -> rows(code, o, oOff, os, x, xOff, xs, y, yOff, yst, n, from, to));
    }

    /** Output rows [from, to) (numbered over the axes with output stride ≠ 0), each with the broadcast axes looped inside. */
    private static void rows(int code, float[] o, int oOff, int[] os, float[] x, int xOff, int[] xs, float[] y, int yOff,
                             int[] ys, int[] n, int from, int to) {
        int[] idx = new int[3];
        for (int r = from; r < to; r++) {
            for (int d = 2, rest = r; d >= 0; d--) if (os[d] != 0) { idx[d] = rest % n[d]; rest /= n[d]; }
            int a0 = os[0] != 0 ? idx[0] : 0, a1 = os[0] != 0 ? idx[0] + 1 : n[0];
            int b0 = os[1] != 0 ? idx[1] : 0, b1 = os[1] != 0 ? idx[1] + 1 : n[1];
            int c0 = os[2] != 0 ? idx[2] : 0, c1 = os[2] != 0 ? idx[2] + 1 : n[2];
            for (int a = a0; a < a1; a++)
                for (int b = b0; b < b1; b++)
                    for (int c = c0; c < c1; c++) {
                        int oi = oOff + a * os[0] + b * os[1] + c * os[2];
                        int xi = xOff + a * xs[0] + b * xs[1] + c * xs[2];
                        int yi = yOff + a * ys[0] + b * ys[1] + c * ys[2];
                        row(code, o, oi, os[3], x, xi, xs[3], y, yi, ys[3], n[3]);
                    }
        }
    }

    private static boolean rowMajor(int[] s, int[] n) {
        int expect = 1;
        for (int i = 3; i >= 0; i--) {
            if (n[i] != 1 && s[i] != expect) return false;
            expect *= n[i];
        }
        return true;
    }

    private static void row(int code, float[] o, int oi, int os, float[] x, int xi, int xs, float[] y, int yi, int ys, int len) {
        if (os == 1 && xs == 1 && (y == null || ys == 1)) { dense(code, o, oi, x, xi, y, yi, len); return; }
        switch (code) {
            case COPY -> { for (int j = 0; j < len; j++) o[oi + j * os] = x[xi + j * xs]; }
            case ADD -> { for (int j = 0; j < len; j++) o[oi + j * os] = x[xi + j * xs] + y[yi + j * ys]; }
            case SUB -> { for (int j = 0; j < len; j++) o[oi + j * os] = x[xi + j * xs] - y[yi + j * ys]; }
            case MUL -> { for (int j = 0; j < len; j++) o[oi + j * os] = x[xi + j * xs] * y[yi + j * ys]; }
            case DIV -> { for (int j = 0; j < len; j++) o[oi + j * os] = x[xi + j * xs] / y[yi + j * ys]; }
            case ACC -> { for (int j = 0; j < len; j++) o[oi + j * os] += x[xi + j * xs]; }
            case ACC_NEG -> { for (int j = 0; j < len; j++) o[oi + j * os] -= x[xi + j * xs]; }
            case ACC_MUL -> { for (int j = 0; j < len; j++) o[oi + j * os] += x[xi + j * xs] * y[yi + j * ys]; }
            case MAX -> { for (int j = 0; j < len; j++) o[oi + j * os] = Math.max(x[xi + j * xs], y[yi + j * ys]); }
            default -> throw new IllegalStateException("Strided: unknown op code " + code);
        }
    }

    /** {@link #row} with every stride 1: plain indexed loops, which the JIT compiles to SIMD (a stride variable prevents it). */
    private static void dense(int code, float[] o, int oi, float[] x, int xi, float[] y, int yi, int len) {
        switch (code) {
            case COPY -> System.arraycopy(x, xi, o, oi, len);
            case ADD -> { for (int j = 0; j < len; j++) o[oi + j] = x[xi + j] + y[yi + j]; }
            case SUB -> { for (int j = 0; j < len; j++) o[oi + j] = x[xi + j] - y[yi + j]; }
            case MUL -> { for (int j = 0; j < len; j++) o[oi + j] = x[xi + j] * y[yi + j]; }
            case DIV -> { for (int j = 0; j < len; j++) o[oi + j] = x[xi + j] / y[yi + j]; }
            case ACC -> { for (int j = 0; j < len; j++) o[oi + j] += x[xi + j]; }
            case ACC_NEG -> { for (int j = 0; j < len; j++) o[oi + j] -= x[xi + j]; }
            case ACC_MUL -> { for (int j = 0; j < len; j++) o[oi + j] += x[xi + j] * y[yi + j]; }
            case MAX -> { for (int j = 0; j < len; j++) o[oi + j] = Math.max(x[xi + j], y[yi + j]); }
            default -> throw new IllegalStateException("Strided: unknown op code " + code);
        }
    }

    /** Copies a strided tensor into a fresh row-major array. */
    static float[] toContiguous(float[] data, int off, int[] shape, int[] strides) {
        int n = Shape.numel(shape);
        float[] out = new float[n];
        if (n == 0) return out;
        int[] n4 = Shape.pad4(shape);
        run(COPY, out, 0, pad4Strides(Shape.contiguousStrides(shape), shape.length), data, off, pad4Strides(strides, shape.length), null, 0, null, n4);
        return out;
    }

    /** Strides padded on the left with 0s to rank 4. */
    static int[] pad4Strides(int[] strides, int rank) {
        int[] out = new int[4];
        System.arraycopy(strides, 0, out, 4 - rank, rank);
        return out;
    }
}
