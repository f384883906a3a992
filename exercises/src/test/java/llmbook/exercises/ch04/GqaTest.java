package llmbook.exercises.ch04;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch04.gqa", title = "Grouped-query attention: query heads sharing key/value heads")
class GqaTest {
    static double[][][] rand(Random r, int n, int t, int d) {
        double[][][] a = new double[n][t][d];
        for (double[][] m : a) for (double[] row : m) for (int j = 0; j < d; j++) row[j] = r.nextGaussian() * 2;
        return a;
    }

    /** Reference for one head, written independently: full score matrix, −∞ above the diagonal, softmax, times v. */
    static double[][] reference(double[][] q, double[][] k, double[][] v) {
        int t = q.length, d = q[0].length, dv = v[0].length;
        double[][] out = new double[t][dv];
        for (int i = 0; i < t; i++) {
            double[] w = new double[t];
            double max = Double.NEGATIVE_INFINITY, z = 0;
            for (int j = 0; j < t; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) s += q[i][c] * k[j][c];
                w[j] = j > i ? Double.NEGATIVE_INFINITY : s / Math.sqrt(d);
                max = Math.max(max, w[j]);
            }
            for (int j = 0; j < t; j++) { w[j] = Math.exp(w[j] - max); z += w[j]; }
            for (int j = 0; j < t; j++) for (int c = 0; c < dv; c++) out[i][c] += w[j] / z * v[j][c];
        }
        return out;
    }

    static void assertSame(double[][][] want, double[][][] got, String what) {
        assertEquals(want.length, got.length, what + ": number of output heads");
        for (int h = 0; h < want.length; h++)
            for (int t = 0; t < want[h].length; t++) assertArrayEquals(want[h][t], got[h][t], 1e-4, what + ": head " + h + ", row " + t);
    }

    @Test
    @Points(value = 1, hint = "groups are consecutive heads: with H = 4, G = 2 heads 0, 1 use group 0 and heads 2, 3 group 1 (g = h / (H/G))")
    void workedExample() {
        double[][][] q = {{{1}}, {{2}}, {{3}}, {{4}}}, k = {{{1}}, {{1}}}, v = {{{1}}, {{2}}};
        double[][][] out = Gqa.attend(q, k, v);
        assertSame(new double[][][] {{{1}}, {{1}}, {{2}}, {{2}}}, out, "H=4, G=2, T=1");
    }

    @Test
    @Points(value = 2, hint = "G = H: every query head uses its own key/value head (multi-head attention)")
    void equalsMultiHeadWhenGroupsEqualHeads() {
        Random r = new Random(9);
        int h = 4, t = 5, d = 3;
        double[][][] q = rand(r, h, t, d), k = rand(r, h, t, d), v = rand(r, h, t, 2);
        double[][][] want = new double[h][][];
        for (int i = 0; i < h; i++) want[i] = reference(q[i], k[i], v[i]);
        assertSame(want, Gqa.attend(q, k, v), "G = H (MHA)");
    }

    @Test
    @Points(value = 2, hint = "G = 1: all query heads share key/value head 0 (multi-query attention)")
    void equalsMultiQueryWhenOneGroup() {
        Random r = new Random(10);
        int h = 3, t = 6, d = 4;
        double[][][] q = rand(r, h, t, d), k = rand(r, 1, t, d), v = rand(r, 1, t, 3);
        double[][][] want = new double[h][][];
        for (int i = 0; i < h; i++) want[i] = reference(q[i], k[0], v[0]);
        assertSame(want, Gqa.attend(q, k, v), "G = 1 (MQA)");
    }

    @Test
    @Points(value = 2, hint = "GQA equals MHA with each K/V head repeated H/G times in a row")
    void equalsMultiHeadWithRepeatedKeysAndValues() {
        Random r = new Random(11);
        int h = 6, g = 2, t = 4, d = 2;
        double[][][] q = rand(r, h, t, d), k = rand(r, g, t, d), v = rand(r, g, t, 2);
        double[][][] kRep = new double[h][][], vRep = new double[h][][], want = new double[h][][];
        for (int i = 0; i < h; i++) {
            kRep[i] = k[i / (h / g)];
            vRep[i] = v[i / (h / g)];
            want[i] = reference(q[i], kRep[i], vRep[i]);
        }
        assertSame(want, Gqa.attend(q, k, v), "H=6, G=2");
    }

    @Test
    @Points(value = 1, hint = "refuse a group count that does not divide the head count (or is 0)")
    void rejectsBadGroupCount() {
        Random r = new Random(12);
        double[][][] q = rand(r, 4, 2, 2);
        assertThrows(IllegalArgumentException.class, () -> Gqa.attend(q, rand(r, 3, 2, 2), rand(r, 3, 2, 2)), "G=3 does not divide H=4");
        assertThrows(IllegalArgumentException.class, () -> Gqa.attend(q, new double[0][][], new double[0][][]), "G=0");
        assertThrows(IllegalArgumentException.class, () -> Gqa.attend(q, rand(r, 8, 2, 2), rand(r, 8, 2, 2)), "G=8 > H=4");
    }
}
