package llmbook.exercises.ch13;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch13.dpo_loss", title = "The DPO loss and its gradient")
class DpoLossTest {
    @Test
    @Points(value = 1, hint = "pw − rw = 1, pl − rl = −1, β = 0.5: m = 1, loss = log(1 + e^{−1}) = 0.3133")
    void workedExample() {
        assertEquals(Math.log1p(Math.exp(-1)), DpoLoss.loss(-3, -7, -4, -6, 0.5), 1e-12);
        assertEquals(Math.log(2), DpoLoss.loss(-5, -9, -5, -9, 0.1), 1e-12, "policy = reference: loss log 2 whatever the log-probs");
    }

    @Test
    @Points(value = 2, hint = "the gradient is {−β·σ(−m), +β·σ(−m)}; compare with (loss(x+h) − loss(x−h))/2h")
    void gradientMatchesFiniteDifferences() {
        Random r = new Random(13);
        for (int k = 0; k < 20; k++) {
            double pw = -10 * r.nextDouble(), pl = -10 * r.nextDouble(), rw = -10 * r.nextDouble(), rl = -10 * r.nextDouble();
            double beta = new double[] {0.05, 0.1, 0.5, 2}[k % 4], h = 1e-5;
            double[] g = DpoLoss.gradient(pw, pl, rw, rl, beta);
            assertEquals((DpoLoss.loss(pw + h, pl, rw, rl, beta) - DpoLoss.loss(pw - h, pl, rw, rl, beta)) / (2 * h), g[0], 1e-6);
            assertEquals((DpoLoss.loss(pw, pl + h, rw, rl, beta) - DpoLoss.loss(pw, pl - h, rw, rl, beta)) / (2 * h), g[1], 1e-6);
            assertEquals(0, g[0] + g[1], 1e-12, "raising both log-probs equally changes nothing");
        }
    }

    @Test
    @Points(value = 1, hint = "β → 0: every margin → 0, loss → log 2 and the gradient → ∓β/2")
    void smallBetaLimit() {
        double beta = 1e-6;
        assertEquals(Math.log(2), DpoLoss.loss(-1, -30, -20, -2, beta), 1e-4);
        double[] g = DpoLoss.gradient(-1, -30, -20, -2, beta);
        assertEquals(-beta / 2, g[0], 1e-9);
        assertEquals(beta / 2, g[1], 1e-9);
    }

    @Test
    @Points(value = 2, hint = "large β: a right margin costs ~0, a wrong one costs ~|m| — compute log σ(m) as min(m, 0) − log(1 + e^{−|m|})")
    void largeBetaIsAHingeAndStaysFinite() {
        assertEquals(0, DpoLoss.loss(0, -1, 0, 0, 1000), 1e-12, "m = +1000");
        assertEquals(1000, DpoLoss.loss(-1, 0, 0, 0, 1000), 1e-9, "m = −1000: the loss is |m|, not ∞");
        double[] g = DpoLoss.gradient(-1, 0, 0, 0, 1000);
        assertEquals(-1000, g[0], 1e-9);
        assertEquals(1000, g[1], 1e-9);
        double[] ok = DpoLoss.gradient(0, -1, 0, 0, 1000);
        assertTrue(Math.abs(ok[0]) < 1e-300 || Math.abs(ok[0]) < 1e-100, "a satisfied pair pushes nothing: " + ok[0]);
    }
}
