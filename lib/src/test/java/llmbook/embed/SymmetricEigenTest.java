package llmbook.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {
    /** A random orthogonal matrix by Gram-Schmidt on Gaussian columns; q[k] is column k. */
    static double[][] randomOrthogonal(int n, long seed) {
        Random r = new Random(seed);
        double[][] q = new double[n][n];
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < n; i++) q[k][i] = r.nextGaussian();
            for (int j = 0; j < k; j++) {
                double d = SymmetricEigen.dot(q[k], q[j]);
                for (int i = 0; i < n; i++) q[k][i] -= d * q[j][i];
            }
            double norm = Math.sqrt(SymmetricEigen.dot(q[k], q[k]));
            for (int i = 0; i < n; i++) q[k][i] /= norm;
        }
        return q;
    }

    /** A = Q Λ Qᵀ = Σ_k λ_k q_k q_kᵀ. */
    static double[][] build(double[][] q, double[] lambda) {
        int n = lambda.length;
        double[][] a = new double[n][n];
        for (int k = 0; k < n; k++) for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) a[i][j] += lambda[k] * q[k][i] * q[k][j];
        return a;
    }

    static void checkPairs(double[][] a, SymmetricEigen.Result r, int count, double tol) {
        for (int k = 0; k < count; k++) {
            double[] av = SymmetricEigen.multiply(a, r.vectors()[k]);
            for (int i = 0; i < av.length; i++) {
                assertEquals(r.values()[k] * r.vectors()[k][i], av[i], tol, "A v = λ v for pair " + k);
            }
        }
    }

    @Test
    void jacobiRecoversKnownEigenvaluesAndReconstructs() {
        int n = 12;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) lambda[i] = 10 - 1.5 * i;         // descending, some negative
        double[][] q = randomOrthogonal(n, 5);
        double[][] a = build(q, lambda);
        SymmetricEigen.Result r = SymmetricEigen.jacobi(a);
        for (int i = 0; i < n; i++) assertEquals(lambda[i], r.values()[i], 1e-9, "eigenvalue " + i);
        for (int k = 0; k < n; k++) assertEquals(1.0, Math.abs(SymmetricEigen.dot(q[k], r.vectors()[k])), 1e-8, "vector " + k + " up to sign");
        double[][] back = build(r.vectors(), r.values());
        double err = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) err = Math.max(err, Math.abs(back[i][j] - a[i][j]));
        assertTrue(err < 1e-9, "reconstruction error " + err);
        checkPairs(a, r, n, 1e-9);
    }

    @Test
    void jacobiOnAHandWorked2x2() {
        var r = SymmetricEigen.jacobi(new double[][] {{2, 1}, {1, 2}});
        assertEquals(3, r.values()[0], 1e-12);
        assertEquals(1, r.values()[1], 1e-12);
        assertEquals(Math.sqrt(0.5), Math.abs(r.vectors()[0][0]), 1e-12);
    }

    @Test
    void powerIterationWithDeflationFindsTheTopThree() {
        int n = 20;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) lambda[i] = 1.0 / (i + 1) * 8;          // 8, 4, 2.67, 2, ...
        double[][] q = randomOrthogonal(n, 9);
        double[][] a = build(q, lambda);
        var r = SymmetricEigen.power(a, 3, 5_000, 1e-12, 1);
        for (int k = 0; k < 3; k++) {
            assertEquals(lambda[k], r.values()[k], 1e-8, "eigenvalue " + k);
            assertEquals(1.0, Math.abs(SymmetricEigen.dot(q[k], r.vectors()[k])), 1e-6, "vector " + k);
        }
    }

    @Test
    void refusesNonSymmetricAndNonSquare() {
        var e = assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.jacobi(new double[][] {{1, 2}, {3, 4}}));
        assertTrue(e.getMessage().contains("a[1][0] = 3.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.jacobi(new double[][] {{1, 2}}));
    }
}
