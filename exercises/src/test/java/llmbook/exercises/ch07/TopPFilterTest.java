package llmbook.exercises.ch07;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import llmbook.sample.TopP;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch07.top_p", title = "Nucleus (top-p) filtering with ties")
class TopPFilterTest {
    static final float NEG = Float.NEGATIVE_INFINITY;

    static float[] ln(double... p) {
        float[] l = new float[p.length];
        for (int i = 0; i < p.length; i++) l[i] = (float) Math.log(p[i]);
        return l;
    }

    /** The library's TopP is the reference: the same rule, in place. */
    static float[] reference(float[] logits, float p) {
        float[] l = logits.clone();
        new TopP(p).process(l, new int[0]);
        return l;
    }

    @Test
    @Points(value = 1, hint = "sort by probability, most likely first, and stop as soon as the running sum reaches p (>=, not >)")
    void theWorkedExample() {
        float[] l = ln(0.1, 0.5, 0.3, 0.1);
        assertArrayEquals(new float[] {l[0], l[1], l[2], NEG}, TopPFilter.filter(l, 0.85), "p = 0.85: the tie at 0.1 goes to the lower id");
        assertArrayEquals(new float[] {NEG, l[1], l[2], NEG}, TopPFilter.filter(l, 0.75), "p = 0.75: 0.5 + 0.3 is enough");
        assertArrayEquals(new float[] {NEG, l[1], NEG, NEG}, TopPFilter.filter(l, 0.2), "one token can be enough");
    }

    @Test
    @Points(value = 1, hint = "ties: equal probabilities are taken in increasing id order (a stable sort does this)")
    void tiesGoToTheLowerId() {
        float[] flat = new float[6];
        assertArrayEquals(new float[] {0, 0, 0, NEG, NEG, NEG}, TopPFilter.filter(flat, 0.5), "six equal tokens, half the mass");
        assertArrayEquals(new float[] {0, 0, 0, 0, NEG, NEG}, TopPFilter.filter(flat, 0.51));
        float[] twoTop = {1, 3, 0, 3};
        assertArrayEquals(new float[] {NEG, 3, NEG, NEG}, TopPFilter.filter(twoTop, 0.3), "of the two top tokens, id 1 first");
    }

    @Test
    @Points(value = 1, hint = "subtract the largest logit before exp; leave −∞ tokens out; p = 1 keeps everything; refuse p outside (0, 1]")
    void adversarialInputs() {
        assertArrayEquals(new float[] {NEG, 1000, NEG}, TopPFilter.filter(new float[] {0, 1000, 5}, 0.9), "one huge logit");
        assertArrayEquals(new float[] {NEG, 2, 1}, TopPFilter.filter(new float[] {NEG, 2, 1}, 0.99), "−∞ stays out");
        float[] l = {1, 2, 3};
        assertArrayEquals(l, TopPFilter.filter(l, 1.0), "p = 1");
        assertArrayEquals(new float[] {1, 2, 3}, l, "the input is not changed");
        assertThrows(IllegalArgumentException.class, () -> TopPFilter.filter(l, 0));
        assertThrows(IllegalArgumentException.class, () -> TopPFilter.filter(l, 1.5));
        assertThrows(IllegalArgumentException.class, () -> TopPFilter.filter(l, Double.NaN));
    }

    @Test
    @Points(value = 2, hint = "hidden random cases: compare your kept set with the rule above (at least one token; smallest set reaching p)")
    void hiddenCasesMatchTheReference() {
        Random r = new Random(7);
        for (int c = 0; c < 300; c++) {
            int V = 1 + r.nextInt(40);
            float[] l = new float[V];
            for (int i = 0; i < V; i++) l[i] = switch (c % 4) {
                case 0 -> (float) (3 * r.nextGaussian());
                case 1 -> r.nextInt(4);                                      // many ties
                case 2 -> r.nextInt(5) == 0 ? NEG : (float) r.nextGaussian(); // some −∞
                default -> (float) (r.nextGaussian() * 50);                   // very peaked
            };
            if (c % 4 == 2) l[r.nextInt(V)] = 0;                             // at least one finite
            float p = (float) (0.05 + 0.95 * r.nextDouble());
            assertArrayEquals(reference(l, p), TopPFilter.filter(l, p), "case " + c + ", V = " + V + ", p = " + p);
        }
    }
}
