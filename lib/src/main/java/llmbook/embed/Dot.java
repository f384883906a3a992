package llmbook.embed;

import llmbook.kernels.Blas;

/**
 * The two loops word2vec and nearest-neighbour search spend their time in: {@code dot = Σ a[ao+i]·b[bo+i]} and
 * {@code axpy: y[yo+i] += alpha·x[xo+i]}, for i in [0, n). They are the kernels {@link Blas#dot} and {@link Blas#axpy}
 * (Vector API, or their scalar twins when {@link llmbook.kernels.Kernels#useVector} is off); the names stay here for
 * the chapter's code.
 */
public final class Dot {
    private Dot() {}

    public static float dot(float[] a, int ao, float[] b, int bo, int n) { return Blas.dot(a, ao, b, bo, n); }

    public static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) { Blas.axpy(alpha, x, xo, y, yo, n); }
}
