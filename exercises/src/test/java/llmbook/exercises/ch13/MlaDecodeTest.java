package llmbook.exercises.ch13;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch13.mla_decode", title = "MLA's absorbed decode equals the naive one")
class MlaDecodeTest {
    static double[] rand(Random r, int n) { double[] v = new double[n]; for (int i = 0; i < n; i++) v[i] = r.nextGaussian(); return v; }

    /** The grader's own naive head, written independently. */
    static double[] reference(double[] q, double[] wUk, double[] wUv, double[] c, int n, int d, int dc, double scale) {
        double[] s = new double[n];
        double mx = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            for (int a = 0; a < d; a++) { double k = 0; for (int b = 0; b < dc; b++) k += wUk[a * dc + b] * c[j * dc + b]; s[j] += q[a] * k * scale; }
            mx = Math.max(mx, s[j]);
        }
        double z = 0;
        for (int j = 0; j < n; j++) { s[j] = Math.exp(s[j] - mx); z += s[j]; }
        double[] out = new double[d];
        for (int j = 0; j < n; j++) for (int a = 0; a < d; a++) { double v = 0; for (int b = 0; b < dc; b++) v += wUv[a * dc + b] * c[j * dc + b]; out[a] += s[j] / z * v; }
        return out;
    }

    @Test
    @Points(value = 1, hint = "d = dc = 1, W_UK = 2, W_UV = 3, latents (1, 0), q = 1: scores (2, 0), out = 3·σ(2) = 2.642")
    void workedExample() {
        double want = 3 / (1 + Math.exp(-2));
        assertEquals(want, MlaDecode.naive(new double[] {1}, new double[] {2}, new double[] {3}, new double[] {1, 0}, 2, 1, 1, 1)[0], 1e-12);
        assertEquals(want, MlaDecode.absorbed(new double[] {1}, new double[] {2}, new double[] {3}, new double[] {1, 0}, 2, 1, 1, 1)[0], 1e-12);
    }

    @Test
    @Points(value = 2, hint = "naive: rebuild each k_j and v_j from c_j (row a of W is W[a·dc … a·dc + dc))")
    void naiveIsAttentionOnRebuiltKeysAndValues() {
        Random r = new Random(5);
        for (int[] s : new int[][] {{7, 4, 6}, {1, 8, 3}, {12, 16, 32}}) {
            int n = s[0], d = s[1], dc = s[2];
            double[] q = rand(r, d), wk = rand(r, d * dc), wv = rand(r, d * dc), c = rand(r, n * dc);
            double scale = 1 / Math.sqrt(d);
            assertArrayEquals(reference(q, wk, wv, c, n, d, dc, scale), MlaDecode.naive(q, wk, wv, c, n, d, dc, scale), 1e-9);
        }
    }

    @Test
    @Points(value = 3, hint = "absorbed: q̃ = W_UKᵀq (size dc) — column b of W_UK is W[b], W[dc + b], …; out = W_UV·(Σ p_j c_j)")
    void absorbedEqualsNaive() {
        Random r = new Random(6);
        for (int[] s : new int[][] {{7, 4, 6}, {1, 8, 3}, {12, 16, 32}, {30, 5, 2}}) {
            int n = s[0], d = s[1], dc = s[2];
            double[] q = rand(r, d), wk = rand(r, d * dc), wv = rand(r, d * dc), c = rand(r, n * dc);
            double scale = 1 / Math.sqrt(d + 2.0);
            assertArrayEquals(reference(q, wk, wv, c, n, d, dc, scale), MlaDecode.absorbed(q, wk, wv, c, n, d, dc, scale), 1e-9, "n, d, dc = " + n + ", " + d + ", " + dc);
        }
    }

    @Test
    @Points(value = 1, hint = "subtract the largest score before exp: scores of 1000 must not overflow")
    void stableSoftmax() {
        double[] got = MlaDecode.absorbed(new double[] {1}, new double[] {1000}, new double[] {1}, new double[] {1, 1}, 2, 1, 1, 1);
        assertEquals(1, got[0], 1e-12);
    }
}
