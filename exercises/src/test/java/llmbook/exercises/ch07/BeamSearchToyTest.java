package llmbook.exercises.ch07;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch07.beam_search", title = "Beam search with an end token and length normalisation")
class BeamSearchToyTest {
    /** A random model whose next-token distribution depends on the whole prefix (hashed into a seed). */
    static final class RandomModel implements BeamSearchToy.Model {
        final int V, eos;
        final long seed;
        int calls;

        RandomModel(int V, int eos, long seed) { this.V = V; this.eos = eos; this.seed = seed; }

        public int vocab() { return V; }
        public int eos() { return eos; }

        public double[] logProbs(int[] prefix) {
            calls++;
            Random r = new Random(seed * 1_000_003L + Arrays.hashCode(prefix));
            double[] l = new double[V];
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int v = 0; v < V; v++) max = Math.max(max, l[v] = 2 * r.nextGaussian());
            for (int v = 0; v < V; v++) sum += Math.exp(l[v] - max);
            for (int v = 0; v < V; v++) l[v] -= max + Math.log(sum);
            return l;
        }
    }

    /** Every output of up to maxLen tokens, scored, best first: the truth a wide enough beam must reproduce. */
    static List<BeamSearchToy.Hypothesis> bruteForce(BeamSearchToy.Model m, int maxLen, boolean normalise) {
        List<BeamSearchToy.Hypothesis> all = new ArrayList<>();
        expand(m, new int[0], 0, maxLen, normalise, all);
        all.sort(Comparator.comparingDouble(BeamSearchToy.Hypothesis::score).reversed());
        return all;
    }

    static void expand(BeamSearchToy.Model m, int[] prefix, double lp, int maxLen, boolean normalise, List<BeamSearchToy.Hypothesis> all) {
        if (prefix.length == maxLen) {
            all.add(new BeamSearchToy.Hypothesis(prefix, lp, normalise ? lp / prefix.length : lp, false));
            return;
        }
        double[] next = m.logProbs(prefix);
        for (int v = 0; v < m.vocab(); v++) {
            if (next[v] == Double.NEGATIVE_INFINITY) continue;
            int[] grown = Arrays.copyOf(prefix, prefix.length + 1);
            grown[prefix.length] = v;
            if (v == m.eos()) all.add(new BeamSearchToy.Hypothesis(grown, lp + next[v], normalise ? (lp + next[v]) / grown.length : lp + next[v], true));
            else expand(m, grown, lp + next[v], maxLen, normalise, all);
        }
    }

    static void assertSame(List<BeamSearchToy.Hypothesis> want, List<BeamSearchToy.Hypothesis> got, String what) {
        assertEquals(want.size(), got.size(), what + ": number of outputs");
        for (int i = 0; i < want.size(); i++) {
            assertArrayEquals(want.get(i).tokens(), got.get(i).tokens(), what + ": output " + i);
            assertEquals(want.get(i).logProb(), got.get(i).logProb(), 1e-9, what + ": log-probability of output " + i);
            assertEquals(want.get(i).score(), got.get(i).score(), 1e-9, what + ": score of output " + i);
            assertEquals(want.get(i).finished(), got.get(i).finished(), what + ": finished? output " + i);
        }
    }

    /** The worked example of the Javadoc: EOS 0.4 / a 0.6 at every step (token 0 = EOS, 1 = a, 2 = never). */
    static final BeamSearchToy.Model WORKED = new BeamSearchToy.Model() {
        public int vocab() { return 3; }
        public int eos() { return 0; }
        public double[] logProbs(int[] prefix) { return new double[] {Math.log(0.4), Math.log(0.6), Double.NEGATIVE_INFINITY}; }
    };

    @Test
    @Points(value = 2, hint = "the worked example: keep finished outputs aside, add the open beams at maxLen, and divide by the length (EOS included) when normalising")
    void theWorkedExample() {
        List<BeamSearchToy.Hypothesis> raw = BeamSearchToy.search(WORKED, 2, 3, false);
        assertArrayEquals(new int[] {0}, raw.get(0).tokens(), "without normalisation the empty output wins");
        assertEquals(Math.log(0.4), raw.get(0).score(), 1e-12);
        assertArrayEquals(new int[] {1, 0}, raw.get(1).tokens());
        List<BeamSearchToy.Hypothesis> norm = BeamSearchToy.search(WORKED, 2, 3, true);
        assertArrayEquals(new int[] {1, 1, 1}, norm.get(0).tokens(), "with it, the open beam [a, a, a]");
        assertEquals(false, norm.get(0).finished());
        assertEquals(Math.log(0.216) / 3, norm.get(0).score(), 1e-12);
        assertArrayEquals(new int[] {1, 1, 0}, norm.get(1).tokens());
        assertEquals(Math.log(0.144) / 3, norm.get(1).score(), 1e-12);
    }

    @Test
    @Points(value = 2, hint = "width 1: the single beam is always the best extension; an EOS ranked first ends the search")
    void widthOneIsGreedy() {
        for (long seed = 1; seed <= 30; seed++) {
            RandomModel m = new RandomModel(5, 0, seed);
            List<Integer> greedy = new ArrayList<>();
            double lp = 0;
            boolean ended = false;
            for (int t = 0; t < 8 && !ended; t++) {
                double[] next = m.logProbs(greedy.stream().mapToInt(Integer::intValue).toArray());
                int best = 0;
                for (int v = 1; v < 5; v++) if (next[v] > next[best]) best = v;
                greedy.add(best);
                lp += next[best];
                ended = best == 0;
            }
            List<BeamSearchToy.Hypothesis> got = BeamSearchToy.search(m, 1, 8, false);
            assertEquals(1, got.size());
            assertArrayEquals(greedy.stream().mapToInt(Integer::intValue).toArray(), got.get(0).tokens(), "model seed " + seed);
            assertEquals(lp, got.get(0).logProb(), 1e-9);
        }
    }

    @Test
    @Points(value = 3, hint = "a beam wide enough to hold every output must return exactly the brute-force ranking (hidden random models)")
    void aWideBeamEqualsBruteForce() {
        for (long seed = 1; seed <= 12; seed++) {
            RandomModel m = new RandomModel(4, (int) (seed % 4), seed);     // 4 tokens, 3 steps: at most 27 open beams
            for (boolean normalise : new boolean[] {false, true}) {
                List<BeamSearchToy.Hypothesis> all = bruteForce(m, 3, normalise);
                assertSame(all.subList(0, Math.min(64, all.size())), BeamSearchToy.search(m, 64, 3, normalise), "seed " + seed + ", normalise " + normalise);
                assertSame(all.subList(0, 1), BeamSearchToy.search(m, 64, 3, normalise).subList(0, 1), "the best output");
            }
        }
    }

    @Test
    @Points(value = 1, hint = "tokens the model forbids (log-probability −∞) are never written; refuse width or maxLen below 1")
    void forbiddenTokensAndBadArguments() {
        for (BeamSearchToy.Hypothesis h : BeamSearchToy.search(WORKED, 5, 4, true))
            for (int t : h.tokens()) assertEquals(true, t != 2, "token 2 has probability 0");
        assertThrows(IllegalArgumentException.class, () -> BeamSearchToy.search(WORKED, 0, 3, false));
        assertThrows(IllegalArgumentException.class, () -> BeamSearchToy.search(WORKED, 2, 0, false));
    }
}
