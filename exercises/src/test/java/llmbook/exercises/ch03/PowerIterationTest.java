package llmbook.exercises.ch03;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import llmbook.embed.SymmetricEigen;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch03.power_iteration", title = "Power iteration: the top eigenvector")
class PowerIterationTest {
    static final double[][] A = {{2, 1}, {1, 2}};

    @Test
    @Points(value = 1, hint = "Rayleigh quotient: (v · A v) / (v · v)")
    void rayleighOfTheWorkedExample() {
        assertEquals(3, PowerIteration.rayleigh(A, new double[] {1, 1}), 1e-12);
        assertEquals(1, PowerIteration.rayleigh(A, new double[] {1, -1}), 1e-12);
        assertEquals(2, PowerIteration.rayleigh(A, new double[] {5, 0}), 1e-12, "not normalised: divide by v · v");
    }

    @Test
    @Points(value = 2, hint = "repeat v = A v / |A v|; the 2x2 example converges to (1, 1)/sqrt 2")
    void workedExampleConverges() {
        double[] v = PowerIteration.topEigenvector(A, 100);
        assertEquals(Math.sqrt(0.5), v[0], 1e-9);
        assertEquals(Math.sqrt(0.5), v[1], 1e-9);
    }

    @Test
    @Points(value = 3, hint = "build A = Q diag(λ) Qᵀ with known λ: the result must match the eigenvector of the largest λ")
    void findsTheTopEigenvectorOfAKnownMatrix() {
        int n = 8;
        Random r = new Random(6);
        double[][] q = new double[n][n];                       // random orthonormal columns q[k]
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < n; i++) q[k][i] = r.nextGaussian();
            for (int j = 0; j < k; j++) {
                double d = 0;
                for (int i = 0; i < n; i++) d += q[k][i] * q[j][i];
                for (int i = 0; i < n; i++) q[k][i] -= d * q[j][i];
            }
            double norm = 0;
            for (int i = 0; i < n; i++) norm += q[k][i] * q[k][i];
            for (int i = 0; i < n; i++) q[k][i] /= Math.sqrt(norm);
        }
        double[] lambda = {9, 3, 2, 1, 0.5, -0.5, -1, -2};
        double[][] a = new double[n][n];
        for (int k = 0; k < n; k++) for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) a[i][j] += lambda[k] * q[k][i] * q[k][j];
        double[] v = PowerIteration.topEigenvector(a, 200);
        double align = 0, norm = 0;
        for (int i = 0; i < n; i++) {
            align += v[i] * q[0][i];
            norm += v[i] * v[i];
        }
        assertEquals(1, norm, 1e-9, "unit length");
        assertEquals(1, Math.abs(align), 1e-9, "along the eigenvector of λ = 9");
        assertEquals(9, PowerIteration.rayleigh(a, v), 1e-9);
        var jacobi = SymmetricEigen.jacobi(a);
        assertEquals(jacobi.values()[0], PowerIteration.rayleigh(a, v), 1e-9, "agrees with the library's Jacobi solver");
        int big = 0;
        for (int i = 1; i < n; i++) if (Math.abs(v[i]) > Math.abs(v[big])) big = i;
        assertEquals(true, v[big] > 0, "sign: the largest-magnitude entry is positive");
    }
}
