package llmbook.embed;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two loops word2vec and nearest-neighbour search spend their time in, Vector API and scalar.
 * {@code dot = Σ a[ao+i]·b[bo+i]}, {@code axpy: y[yo+i] += alpha·x[xo+i]}, for i in [0, n).
 * The scalar twins are the reference (and the path taken with {@code -Dllmbook.scalar=true}).
 * (A local helper until the shared {@code llmbook.kernels} package is available to this branch.)
 */
public final class Dot {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final boolean SCALAR = Boolean.getBoolean("llmbook.scalar");

    private Dot() {}

    public static float dot(float[] a, int ao, float[] b, int bo, int n) {
        return SCALAR ? dotScalar(a, ao, b, bo, n) : dotVector(a, ao, b, bo, n);
    }

    static float dotVector(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0, bound = S.loopBound(n);
        for (; i < bound; i += S.length()) {
            acc = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc);
        }
        float sum = 0f;             // lanes added in lane order: reduceLanes(ADD) sums in a different order compiled
        for (int l = 0; l < S.length(); l++) sum += acc.lane(l);   // vs interpreted, so its last bit would vary
        for (; i < n; i++) sum += a[ao + i] * b[bo + i];
        return sum;
    }

    static float dotScalar(float[] a, int ao, float[] b, int bo, int n) {
        float sum = 0;
        for (int i = 0; i < n; i++) sum += a[ao + i] * b[bo + i];
        return sum;
    }

    public static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        if (SCALAR) {
            axpyScalar(alpha, x, xo, y, yo, n);
            return;
        }
        int i = 0, bound = S.loopBound(n);
        FloatVector va = FloatVector.broadcast(S, alpha);
        for (; i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, xo + i).fma(va, FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] += alpha * x[xo + i];
    }

    static void axpyScalar(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] += alpha * x[xo + i];
    }
}
