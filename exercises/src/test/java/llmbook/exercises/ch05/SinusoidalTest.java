package llmbook.exercises.ch05;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch05.sinusoidal", title = "Sinusoidal positional encoding")
class SinusoidalTest {
    @Test
    @Points(value = 1, hint = "row 0 is sin 0 = 0 at even features and cos 0 = 1 at odd ones")
    void workedExample() {
        float[][] pe = Sinusoidal.table(2, 4);
        assertArrayEquals(new float[] {0, 1, 0, 1}, pe[0], 1e-7f);
        assertArrayEquals(new float[] {(float) Math.sin(1), (float) Math.cos(1), (float) Math.sin(0.01), (float) Math.cos(0.01)}, pe[1], 1e-6f);
    }

    @Test
    @Points(value = 2, hint = "hidden table: hand i turns at ω_i = 10000^(−2i/d), its sine in feature 2i and its cosine in 2i + 1")
    void matchesTheFormulaEverywhere() {
        int t = 50, d = 32;
        float[][] pe = Sinusoidal.table(t, d);
        assertEquals(t, pe.length);
        for (int p = 0; p < t; p++)
            for (int j = 0; j < d; j++) assertEquals((float) ((j % 2 == 0 ? Math.sin(p * Math.pow(10000.0, -(double) (j - j % 2) / d)) : Math.cos(p * Math.pow(10000.0, -(double) (j - j % 2) / d)))), pe[p][j], 1e-5f, "PE[" + p + "][" + j + "]");
    }

    @Test
    @Points(value = 1, hint = "reject an odd width: features come in sin/cos pairs")
    void rejectsOddWidth() {
        assertThrows(IllegalArgumentException.class, () -> Sinusoidal.table(4, 3));
    }

    @Test
    @Points(value = 3, hint = "each (sin, cos) pair turns by k·ω_i: a 2×2 rotation per pair, zeros elsewhere; it must not depend on p")
    void offsetsAreLinearMaps() {
        double[][] m0 = Sinusoidal.shift(0, 6);
        for (int i = 0; i < 6; i++) for (int j = 0; j < 6; j++) assertEquals(i == j ? 1 : 0, m0[i][j], 1e-12, "M_0 is the identity");
        int d = 16;
        float[][] pe = Sinusoidal.table(120, d);
        for (int k : new int[] {1, 5, 37}) {
            double[][] m = Sinusoidal.shift(k, d);
            for (int p : new int[] {0, 3, 50, 80}) {
                for (int i = 0; i < d; i++) {
                    double s = 0;
                    for (int j = 0; j < d; j++) s += m[i][j] * pe[p][j];
                    assertEquals(pe[p + k][i], s, 1e-5, "(M_" + k + " · PE[" + p + "])[" + i + "] vs PE[" + (p + k) + "][" + i + "]");
                }
            }
        }
    }
}
