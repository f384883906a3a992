package llmbook.exercises.ch06;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch06.kv_cache_greedy", title = "Greedy decoding with a KV cache")
class KvCacheGreedyTest {
    /** A one-layer, one-head decoder with random weights: x = E[token] + P[position], q/k/v = W·x, logits = O·(x + a). */
    static final class Toy implements KvCacheGreedy.Model {
        final int V = 11, T = 24, d = 6;
        final float[][] E = new float[V][d], P = new float[T][d], Wq = new float[d][d], Wk = new float[d][d], Wv = new float[d][d],
                O = new float[V][d];
        final List<Integer> positions = new ArrayList<>();
        KvCacheGreedy.Cache watched;
        final List<Integer> cacheLengths = new ArrayList<>();

        Toy(long seed) {
            Random r = new Random(seed);
            for (float[][] w : List.of(E, P, Wq, Wk, Wv, O))
                for (float[] row : w) for (int j = 0; j < row.length; j++) row[j] = (float) r.nextGaussian();
        }

        public int vocab() { return V; }
        public int context() { return T; }
        public int headDim() { return d; }

        float[] x(int token, int pos) {
            float[] x = new float[d];
            for (int j = 0; j < d; j++) x[j] = E[token][j] + P[pos][j];
            return x;
        }

        static float[] mul(float[][] w, float[] x) {
            float[] y = new float[w.length];
            for (int i = 0; i < w.length; i++) for (int j = 0; j < x.length; j++) y[i] += w[i][j] * x[j];
            return y;
        }

        public float[][] qkv(int token, int pos) {
            positions.add(pos);
            if (watched != null) cacheLengths.add(watched.length());
            float[] x = x(token, pos);
            return new float[][] {mul(Wq, x), mul(Wk, x), mul(Wv, x)};
        }

        public float[] logits(float[] a, int token, int pos) {
            float[] x = x(token, pos);
            for (int j = 0; j < d; j++) x[j] += a[j];
            return mul(O, x);
        }

        /** Greedy decoding WITHOUT a cache: every step recomputes attention over the whole sequence. */
        int[] greedyUncached(int[] prompt, int maxNew) {
            int[] out = java.util.Arrays.copyOf(prompt, prompt.length + maxNew);
            for (int n = prompt.length; n < out.length; n++) {
                int t = n - 1;
                float[] q = mul(Wq, x(out[t], t));
                double[] s = new double[n];
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int i = 0; i < n; i++) {
                    float[] k = mul(Wk, x(out[i], i));
                    for (int j = 0; j < d; j++) s[i] += q[j] * k[j];
                    s[i] /= Math.sqrt(d);
                    max = Math.max(max, s[i]);
                }
                for (int i = 0; i < n; i++) sum += s[i] = Math.exp(s[i] - max);
                float[] a = new float[d];
                for (int i = 0; i < n; i++) {
                    float[] v = mul(Wv, x(out[i], i));
                    for (int j = 0; j < d; j++) a[j] += (float) (s[i] / sum) * v[j];
                }
                float[] logits = logits(a, out[t], t);
                int best = 0;
                for (int i = 1; i < V; i++) if (logits[i] > logits[best]) best = i;
                out[n] = best;
            }
            return out;
        }
    }

    @Test
    @Points(value = 1, hint = "append stores the pair at index length() and increments it; a full cache throws IllegalStateException")
    void theCacheStoresPositionsInOrder() {
        KvCacheGreedy.Cache c = new KvCacheGreedy.Cache(2, 3);
        assertEquals(0, c.length());
        c.append(new float[] {1, 2, 3}, new float[] {4, 5, 6});
        c.append(new float[] {7, 8, 9}, new float[] {0, 1, 0});
        assertEquals(2, c.length());
        assertArrayEquals(new float[] {7, 8, 9}, c.key(1));
        assertArrayEquals(new float[] {4, 5, 6}, c.value(0));
        assertThrows(IllegalStateException.class, () -> c.append(new float[3], new float[3]));
    }

    @Test
    @Points(value = 1, hint = "scores q·k/√d, softmax (subtract the max), then the weighted sum of the cached values")
    void attendIsSoftmaxWeightedValues() {
        KvCacheGreedy.Cache c = new KvCacheGreedy.Cache(4, 4);
        c.append(new float[] {1, 0, 0, 0}, new float[] {1, 0, 0, 0});
        c.append(new float[] {0, 0, 0, 0}, new float[] {0, 1, 0, 0});
        // q·k/√d = 2·1/2 = 1 and 0: weights e/(e+1) and 1/(e+1)
        float[] a = KvCacheGreedy.attend(new float[] {2, 0, 0, 0}, c);
        double w = Math.E / (Math.E + 1);
        assertArrayEquals(new float[] {(float) w, (float) (1 - w), 0, 0}, a, 1e-6f);
        c.append(new float[] {1000, 0, 0, 0}, new float[] {0, 0, 1, 0});   // a huge score must not overflow
        assertArrayEquals(new float[] {0, 0, 1, 0}, KvCacheGreedy.attend(new float[] {1, 0, 0, 0}, c), 1e-6f);
    }

    @Test
    @Points(value = 2, hint = "feed every prompt token through qkv → cache.append → attend → logits; then argmax, feed it, repeat")
    void cachedGreedyEqualsUncachedGreedy() {
        for (long seed = 1; seed <= 4; seed++) {
            Toy m = new Toy(seed);
            int[] prompt = {3, 1, 4};
            int[] expected = m.greedyUncached(prompt, 15);
            assertArrayEquals(expected, KvCacheGreedy.greedy(m, prompt, 15, new KvCacheGreedy.Cache(m.T, m.d)), "model seed " + seed);
        }
    }

    @Test
    @Points(value = 1, hint = "call model.qkv exactly once per position 0, 1, 2, …; the cache grows by one each time")
    void eachPositionIsComputedOnceAndTheCacheGrowsByOne() {
        Toy m = new Toy(9);
        KvCacheGreedy.Cache cache = new KvCacheGreedy.Cache(m.T, m.d);
        m.watched = cache;
        int[] out = KvCacheGreedy.greedy(m, new int[] {2, 7}, 6, cache);
        assertEquals(8, out.length);
        List<Integer> expected = new ArrayList<>();
        for (int t = 0; t < 7; t++) expected.add(t);                    // the last generated token is never fed back
        assertEquals(expected, m.positions, "positions passed to qkv");
        assertEquals(expected, m.cacheLengths, "cache length when position t is computed = t");
        assertEquals(7, cache.length());
    }

    @Test
    @Points(value = 1, hint = "refuse (IllegalArgumentException) an empty prompt, and prompt + new tokens beyond the context")
    void refusesWhatDoesNotFit() {
        Toy m = new Toy(1);
        int[] longPrompt = new int[m.T + 1];
        assertThrows(IllegalArgumentException.class, () -> KvCacheGreedy.greedy(m, longPrompt, 1, new KvCacheGreedy.Cache(m.T, m.d)));
        assertThrows(IllegalArgumentException.class, () -> KvCacheGreedy.greedy(m, new int[] {1, 2}, m.T - 1, new KvCacheGreedy.Cache(m.T, m.d)));
        assertThrows(IllegalArgumentException.class, () -> KvCacheGreedy.greedy(m, new int[0], 3, new KvCacheGreedy.Cache(m.T, m.d)));
        assertEquals(m.T, KvCacheGreedy.greedy(m, new int[] {1, 2}, m.T - 2, new KvCacheGreedy.Cache(m.T, m.d)).length, "exactly full is fine");
    }
}
