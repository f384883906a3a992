package llmbook.ngram;

import static org.junit.jupiter.api.Assertions.*;

import java.util.*;

import org.junit.jupiter.api.Test;

class NGramLmTest {
    /** "a b a b c", V = 3, bigrams: worked by hand in the test's comments. */
    @Test
    void bigramKneserNeyByHand() {
        int[] text = {0, 1, 0, 1, 2};
        NGramLm lm = NGramLm.train(text, 3, 2);
        // order 2: a(ab)=2, a(ba)=a(bc)=1 → n1=2, n2=1, no n3/n4 → single-discount fallback D = n1/(n1+2n2) = 0.5
        assertArrayEquals(new double[] {0.5, 1, 1.5}, lm.discounts(2), 1e-12);
        // unigrams: continuation counts a=b=c=1 → p1 = (1−0.5)/3 + (0.5·3/3)·(1/3) = 1/3 each
        assertEquals(1 / 3.0, lm.prob(new int[] {2}, 0), 1e-12);
        // p(b|a) = (2−1)/2 + (1·1/2)·(1/3) = 2/3;  p(c|a) = 1/6;  p(a|b) = 0.5/2 + (0.5·2/2)/3 = 5/12
        assertEquals(2 / 3.0, lm.prob(new int[] {0, 1}, 1), 1e-12);
        assertEquals(1 / 6.0, lm.prob(new int[] {0, 2}, 1), 1e-12);
        assertEquals(5 / 12.0, lm.prob(new int[] {1, 0}, 1), 1e-12);
        // add-1: p(b|a) = (2+1)/(2+3)
        assertEquals(3 / 5.0, lm.addK(1).prob(new int[] {0, 1}, 1), 1e-12);
    }

    @Test
    void everyContextSumsToOne() {
        int V = 7;
        int[] text = randomText(2000, V, 3);
        for (int n = 1; n <= 5; n++) {
            NGramLm lm = NGramLm.train(text, V, n);
            Random r = new Random(n);
            for (int trial = 0; trial < 30; trial++) {
                int[] h = randomText(n, V, r.nextInt(100));
                if (trial % 3 == 0) h = Arrays.copyOfRange(text, trial, trial + n);   // seen contexts too
                for (boolean addK : new boolean[] {false, true}) {
                    if (addK) lm.addK(0.1); else lm.kneserNey();
                    double s = 0;
                    for (int w = 0; w < V; w++) { h[n - 1] = w; s += lm.prob(h, n - 1); }
                    assertEquals(1, s, 1e-9, "n=" + n + " addK=" + addK + " context " + Arrays.toString(h));
                }
            }
        }
    }

    /** The trie and its incremental continuation counts agree with a plain map-of-lists computation of the same formulas. */
    @Test
    void matchesAPlainMapReference() {
        int V = 5, n = 3;
        int[] text = randomText(600, V, 11), test = randomText(200, V, 12);
        NGramLm lm = NGramLm.train(text, V, n);
        Map<List<Integer>, Integer> raw = new HashMap<>();
        Map<List<Integer>, Set<Integer>> left = new HashMap<>();
        for (int i = 0; i < text.length; i++)
            for (int k = 1; k <= n && i - k + 1 >= 0; k++) {
                List<Integer> g = list(text, i - k + 1, i + 1);
                raw.merge(g, 1, Integer::sum);
                if (i - k >= 0) left.computeIfAbsent(g, x -> new HashSet<>()).add(text[i - k]);
            }
        for (int i = 0; i < test.length; i++) {
            double p = 1.0 / V;
            for (int k = 1; k <= Math.min(n, i + 1); k++) {
                List<Integer> h = list(test, i - k + 1, i);
                long[] coc = new long[5];
                for (var g : raw.keySet()) if (g.size() == k) { int a = adj(g, k, n, raw, left); if (a >= 1 && a <= 4) coc[a]++; }
                double[] d = NGramLm.discounts(coc[1], coc[2], coc[3], coc[4]);
                double tot = 0, gamma = 0;
                for (int w = 0; w < V; w++) {
                    List<Integer> g = new ArrayList<>(h); g.add(w);
                    if (!raw.containsKey(g)) continue;
                    int a = adj(g, k, n, raw, left);
                    tot += a;
                    if (a > 0) gamma += d[Math.min(a, 3) - 1];
                }
                if (tot == 0) break;
                List<Integer> g = new ArrayList<>(h); g.add(test[i]);
                int a = raw.containsKey(g) ? adj(g, k, n, raw, left) : 0;
                p = Math.max(a - (a == 0 ? 0 : d[Math.min(a, 3) - 1]), 0) / tot + gamma / tot * p;
            }
            assertEquals(p, lm.prob(test, i), 1e-12, "position " + i);
        }
    }

    @Test
    void kneserNeyBeatsAddOneAndSparsityGrowsWithN() {
        int V = 6;
        int[] text = randomText(5000, V, 5), test = randomText(1000, V, 6);
        NGramLm lm = NGramLm.train(text, V, 4);
        double kn = lm.perplexity(test), add1 = lm.addK(1).perplexity(test);
        assertTrue(kn < add1, kn + " vs add-1 " + add1);
        double prev = -1;
        for (int k = 1; k <= 4; k++) {
            double u = lm.unseenShare(test, k);
            assertTrue(u >= prev, "unseen share at n=" + k + ": " + u + " < " + prev);
            prev = u;
        }
        assertEquals(0, lm.unseenShare(text, 4), 1e-12);
    }

    @Test
    void badInputIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> NGramLm.train(new int[] {0, 3}, 3, 2));
        assertTrue(e.getMessage().contains("token 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NGramLm.train(new int[] {0}, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> NGramLm.train(new int[] {0}, 3, 2).addK(0));
    }

    @Test
    void mixtureInterpolatesProbabilities() {
        double[] a = {Math.log(0.5), Math.log(0.1)}, b = {Math.log(0.1), Math.log(0.5)};
        assertEquals(-Math.log(0.3), Mixture.nll(a, b, 0.5, 0, 2), 1e-12);
        assertEquals(-(Math.log(0.5) + Math.log(0.1)) / 2, Mixture.nll(a, b, 1, 0, 2), 1e-12);
        assertEquals(0.5, Mixture.bestLambda(a, b, 0, 2), 1e-12);
    }

    private static int adj(List<Integer> g, int k, int n, Map<List<Integer>, Integer> raw, Map<List<Integer>, Set<Integer>> left) {
        return k == n ? raw.get(g) : left.getOrDefault(g, Set.of()).size();
    }

    private static List<Integer> list(int[] a, int from, int to) {
        List<Integer> l = new ArrayList<>();
        for (int i = from; i < to; i++) l.add(a[i]);
        return l;
    }

    /** A Markov-ish text (each token depends on the previous one), so higher orders carry information. */
    static int[] randomText(int len, int V, long seed) {
        Random r = new Random(seed);
        int[] t = new int[len];
        for (int i = 0; i < len; i++) t[i] = i == 0 || r.nextInt(3) == 0 ? r.nextInt(V) : (t[i - 1] * 2 + 1) % V;
        return t;
    }
}
