package llmbook.kernels;

/**
 * Level-1 BLAS on float rows: {@code dot = Σ a[ao+i]·b[bo+i]} and {@code axpy: y[yo+i] += alpha·x[xo+i]}, i in [0, n).
 * The loops word2vec, nearest-neighbour search and a one-token decoder spend their time in. Like every kernel, the
 * entry points run the Vector API version when {@link Kernels#useVector} is on and the {@code ...Scalar} twin otherwise.
 * (Matrix-vector products are {@link MatMul#matvec}.)
 */
public final class Blas {
    private Blas() {}

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

    static float dotUnchecked(float[] a, int ao, float[] b, int bo, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) s += a[ao + i] * b[bo + i];
        return s;
    }

    static void axpyUnchecked(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] += alpha * x[xo + i];
    }

    private static void check(String kn, float[] a, int ao, float[] b, int bo, int n) {
        Kernels.checkDim(kn, "n", n);
        if (Kernels.outside(a, ao, n)) Kernels.checkArray(kn, "first (n=" + n + ")", a, ao, n);
        if (Kernels.outside(b, bo, n)) Kernels.checkArray(kn, "second (n=" + n + ")", b, bo, n);
    }
}
