package llmbook.exercises.ch09;

import static org.junit.jupiter.api.Assertions.assertEquals;

import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch09.kl", title = "KL divergence, both ways")
class KlTest {
    @Test
    @Points(value = 2, hint = "KL(p‖q) = Σ p ln(p/q): for p = (½, ½), q = (0.9, 0.1) it is 0.5108 one way and 0.3681 the other")
    void bothWaysByHand() {
        double[] p = {0.5, 0.5}, q = {0.9, 0.1};
        assertEquals(0.5 * Math.log(0.5 / 0.9) + 0.5 * Math.log(0.5 / 0.1), Kl.divergence(p, q), 1e-12);
        assertEquals(0.9 * Math.log(0.9 / 0.5) + 0.1 * Math.log(0.1 / 0.5), Kl.divergence(q, p), 1e-12);
        assertEquals(0, Kl.divergence(p, p), 1e-15);
    }

    @Test
    @Points(value = 1, hint = "a zero in p contributes nothing; a zero in q under mass of p makes the divergence infinite")
    void zeros() {
        assertEquals(Math.log(2), Kl.divergence(new double[] {1, 0}, new double[] {0.5, 0.5}), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, Kl.divergence(new double[] {0.5, 0.5}, new double[] {1, 0}));
    }

    @Test
    @Points(value = 1, hint = "softmax with the max subtracted: logits of 1000 must not overflow")
    void fromLogits() {
        double[] zp = {0, 0}, zq = {Math.log(0.9), Math.log(0.1)};
        assertEquals(0.5 * Math.log(0.5 / 0.9) + 0.5 * Math.log(0.5 / 0.1), Kl.fromLogits(zp, zq), 1e-12);
        assertEquals(Kl.fromLogits(zp, zq), Kl.fromLogits(new double[] {1000, 1000}, new double[] {1000 + zq[0], 1000 + zq[1]}), 1e-9);
    }
}
