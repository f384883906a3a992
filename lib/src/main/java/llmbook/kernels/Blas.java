package llmbook.kernels;

/**
 * Level-1 BLAS on float rows: {@code dot = Σ a[ao+i]·b[bo+i]} and {@code axpy: y[yo+i] += alpha·x[xo+i]}, i in [0, n).
 * The loops word2vec, nearest-neighbour search and a one-token decoder spend their time in. Like every kernel, the
 * entry points run the Vector API version when {@link Kernels#useVector} is on and the {@code ...Scalar} twin otherwise.
 * (Matrix-vector products are {@link MatMul#matvec}.)
 */
public final class Blas {
    private Blas() {}

    /** Floats per piece of {@link #sumOfSquares}. */
    static final int SQUARES_CHUNK = 1 << 14;

    /**
     * Σ over every array of Σ x², in double: the squares of each piece of {@value #SQUARES_CHUNK} floats summed in four
     * interleaved accumulators, the pieces shared out between the threads and their sums added in order. So the
     * result does not depend on the thread count (a gradient clip's norm: one double chain over a million floats was
     * a serial millisecond of every training step). Plain Java, no Vector API: there is no twin to keep.
     */
    public static double sumOfSquares(float[][] arrays) {
        int[] lengths = new int[arrays.length];
        for (int i = 0; i < arrays.length; i++) lengths[i] = arrays[i].length;
        Kernels.Pieces pieces = Kernels.Pieces.of(lengths, SQUARES_CHUNK);
        double[] part = new double[pieces.count()];
        pieces.run(pieces.count() < 4 ? 1 : Kernels.threads(), (c, which, f, to) -> {
            float[] a = arrays[which];
            int i = f;
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (; i + 4 <= to; i += 4) {
                s0 += (double) a[i] * a[i];
                s1 += (double) a[i + 1] * a[i + 1];
                s2 += (double) a[i + 2] * a[i + 2];
                s3 += (double) a[i + 3] * a[i + 3];
            }
            for (; i < to; i++) s0 += (double) a[i] * a[i];
            part[c] = (s0 + s1) + (s2 + s3);
        });
        double sum = 0;
        for (double x : part) sum += x;
        return sum;
    }

    /** {@code Σ_{i<n} a[ao+i]·b[bo+i]}. */
    public static float dot(float[] a, int ao, float[] b, int bo, int n) {
        check("Blas.dot", a, ao, b, bo, n);
        return Kernels.usingVector() ? Vec.dot(a, ao, b, bo, n) : dotUnchecked(a, ao, b, bo, n);
    }

    /** The scalar twin: one accumulator, in order. */
    public static float dotScalar(float[] a, int ao, float[] b, int bo, int n) {
        check("Blas.dotScalar", a, ao, b, bo, n);
        return dotUnchecked(a, ao, b, bo, n);
    }

    /** {@code y[yo+i] += alpha·x[xo+i]} for i < n. */
    public static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        check("Blas.axpy", x, xo, y, yo, n);
        if (Kernels.usingVector()) Vec.axpy(alpha, x, xo, y, yo, n);
        else axpyUnchecked(alpha, x, xo, y, yo, n);
    }

    /** The scalar twin of {@link #axpy}. */
    public static void axpyScalar(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        check("Blas.axpyScalar", x, xo, y, yo, n);
        axpyUnchecked(alpha, x, xo, y, yo, n);
    }

    /**
     * Column sums added in: {@code y[yo+j] += Σ_{r<rows} x[xo + r·n + j]} for j &lt; n, the rows added one by one in
     * order (a linear layer's bias gradient, Σ over the batch of dy). Columns are independent, so the threads split
     * them and every column is summed the same way whatever the thread count: the bits equal the scalar twin's.
     */
    public static void addRows(float[] x, int xo, int rows, int n, float[] y, int yo) {
        long size = checkRows("Blas.addRows", x, xo, rows, n, y, yo);
        if (!Kernels.usingVector()) { addRowsUnchecked(x, xo, rows, n, y, yo, 0, n); return; }
        int blocks = (n + Vec.ADD_ROWS_BLOCK - 1) / Vec.ADD_ROWS_BLOCK;   // columns go to threads in whole blocks
        int slices = size < ADD_ROWS_PARALLEL_MIN ? 1 : Math.min(Kernels.threads(), blocks);
        if (slices == 1) { Vec.addRows(x, xo, rows, n, y, yo, 0, n); return; }
        Kernels.parallel(slices, s -> Vec.addRows(x, xo, rows, n, y, yo,
                Math.min(n, blocks * s / slices * Vec.ADD_ROWS_BLOCK), Math.min(n, blocks * (s + 1) / slices * Vec.ADD_ROWS_BLOCK)));
    }

    /** The scalar twin of {@link #addRows}: one row after another, every column in order. */
    public static void addRowsScalar(float[] x, int xo, int rows, int n, float[] y, int yo) {
        checkRows("Blas.addRowsScalar", x, xo, rows, n, y, yo);
        addRowsUnchecked(x, xo, rows, n, y, yo, 0, n);
    }

    /** Below this many floats summed, {@link #addRows} stays on one thread. */
    static final long ADD_ROWS_PARALLEL_MIN = 1L << 16;

    static void addRowsUnchecked(float[] x, int xo, int rows, int n, float[] y, int yo, int j0, int j1) {
        for (int r = 0; r < rows; r++) {
            int o = xo + r * n;
            for (int j = j0; j < j1; j++) y[yo + j] += x[o + j];
        }
    }

    static float dotUnchecked(float[] a, int ao, float[] b, int bo, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) s += a[ao + i] * b[bo + i];
        return s;
    }

    static void axpyUnchecked(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] += alpha * x[xo + i];
    }

    /** The checks of {@link #addRows} and its twin; returns rows·n. */
    private static long checkRows(String kn, float[] x, int xo, int rows, int n, float[] y, int yo) {
        Kernels.checkDim(kn, "rows", rows);
        Kernels.checkDim(kn, "n", n);
        long size = (long) rows * n;
        if (Kernels.outside(x, xo, size)) Kernels.checkArray(kn, "x (rows=" + rows + ", n=" + n + ")", x, xo, size);
        if (Kernels.outside(y, yo, n)) Kernels.checkArray(kn, "y (n=" + n + ")", y, yo, n);
        return size;
    }

    private static void check(String kn, float[] a, int ao, float[] b, int bo, int n) {
        Kernels.checkDim(kn, "n", n);
        if (Kernels.outside(a, ao, n)) Kernels.checkArray(kn, "first (n=" + n + ")", a, ao, n);
        if (Kernels.outside(b, bo, n)) Kernels.checkArray(kn, "second (n=" + n + ")", b, bo, n);
    }
}
