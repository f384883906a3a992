package llmbook.exercises.ch12;

import static org.junit.jupiter.api.Assertions.assertEquals;

import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch12.weat", title = "The WEAT effect size")
class WeatTest {
    static final float[][] E1 = {{1, 0}}, E2 = {{0, 1}};

    @Test
    @Points(value = 2, hint = "leans +1 and −1: difference 2 over the sample std √2 = √2; swapping A and B flips the sign")
    void workedExample() {
        assertEquals(Math.sqrt(2), Weat.effectSize(E1, E2, E1, E2), 1e-9);
        assertEquals(-Math.sqrt(2), Weat.effectSize(E1, E2, E2, E1), 1e-9);
    }

    @Test
    @Points(value = 1, hint = "cosine, not the dot product: scaling a vector must not change anything")
    void cosineNotDot() {
        assertEquals(Math.sqrt(2), Weat.effectSize(new float[][] {{5, 0}}, new float[][] {{0, 0.1f}}, new float[][] {{3, 0}}, E2), 1e-9);
    }

    @Test
    @Points(value = 2, hint = "the std is over the leans of X and Y pooled, with n − 1; means over A and B, not sums")
    void pooledSampleStd() {
        float[][] X = {{1, 0}, {1, 1}}, Y = {{0, 1}, {-1, 1}}, A = {{1, 0}, {2, 0}, {1, 0.5f}}, B = {{0, 1}};
        double[] s = {lean(X[0], A, B), lean(X[1], A, B), lean(Y[0], A, B), lean(Y[1], A, B)};
        double m = (s[0] + s[1] + s[2] + s[3]) / 4, v = 0;
        for (double x : s) v += (x - m) * (x - m);
        double want = ((s[0] + s[1]) / 2 - (s[2] + s[3]) / 2) / Math.sqrt(v / 3);
        assertEquals(want, Weat.effectSize(X, Y, A, B), 1e-6);
    }

    private static double lean(float[] w, float[][] A, float[][] B) {
        double a = 0, b = 0;
        for (float[] x : A) a += cos(w, x);
        for (float[] x : B) b += cos(w, x);
        return a / A.length - b / B.length;
    }

    private static double cos(float[] u, float[] v) {
        double d = 0, nu = 0, nv = 0;
        for (int i = 0; i < u.length; i++) { d += u[i] * v[i]; nu += u[i] * u[i]; nv += v[i] * v[i]; }
        return d / Math.sqrt(nu * nv);
    }
}
