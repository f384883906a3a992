package llmbook.exercises.ch13;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import llmbook.attention.Rope;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch13.rope_scaling", title = "RoPE scaling by interpolation and NTK")
class RopeScalingTest {
    @Test
    @Points(value = 1, hint = "d = 4, base 100, s = 4: θ = (1, 0.1) becomes (0.25, 0.025)")
    void interpolationWorkedExample() {
        assertArrayEquals(new double[] {0.25, 0.025}, RopeScaling.interpolation(4, 100, 4), 1e-12);
    }

    @Test
    @Points(value = 1, hint = "base' = 100·4^(4/2) = 1600: θ' = (1, 1600^(−1/2)) = (1, 0.025)")
    void ntkWorkedExample() {
        assertArrayEquals(new double[] {1, 0.025}, RopeScaling.ntk(4, 100, 4), 1e-12);
    }

    @Test
    @Points(value = 2, hint = "the library's Rope.Scaling gives the same angles: position p's angle is p·θ'_i")
    void sameAsTheLibrary() {
        for (int d : new int[] {8, 16, 64})
            for (double s : new double[] {2, 4, 8}) {
                double[] pi = RopeScaling.interpolation(d, 10000, s), ntk = RopeScaling.ntk(d, 10000, s);
                Rope rp = new Rope(d, 10000, Rope.Scaling.linear(s)), rn = new Rope(d, 10000, Rope.Scaling.ntk(s));
                assertEquals(d / 2, pi.length);
                for (int i = 0; i < d / 2; i++) {
                    assertEquals(rp.angle(1, i), pi[i], 1e-12 * Math.max(1, pi[i]));
                    assertEquals(rn.angle(1, i), ntk[i], 1e-12);
                }
                assertEquals(1, ntk[0], 1e-12, "NTK keeps the fastest pair");
                assertEquals(Math.pow(10000, -2.0 * (d / 2 - 1) / d) / s, ntk[d / 2 - 1], 1e-12, "and slows the slowest by exactly s");
                for (int i = 1; i < d / 2; i++) assertTrue(ntk[i] < ntk[i - 1], "frequencies still decrease");
            }
    }
}
