package llmbook.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import llmbook.model.DecodeCache;
import llmbook.model.LanguageModel;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.nn.Module;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

class BeamSearchTest {
    /**
     * A test double whose logits depend on the order of the whole prefix: state h_p = 0.6·h_{p−1} + E[ids[p]], logits
     * = h_p + P[p]. Its cache keeps one state per batch row and really moves rows on reorder, so a beam search that
     * forgets to reorder (or reorders wrongly) gets different numbers than without the cache.
     */
    static final class DecayLm extends Module implements LanguageModel {
        final int V, T;
        final float[][] E, P;

        DecayLm(int V, int T, long seed) {
            this.V = V;
            this.T = T;
            Rng r = new Rng(seed);
            E = new float[V][V];
            P = new float[T][V];
            for (float[] row : E) for (int j = 0; j < V; j++) row[j] = 1.5f * r.nextGaussian();
            for (float[] row : P) for (int j = 0; j < V; j++) row[j] = 0.5f * r.nextGaussian();
        }

        @Override public int vocab() { return V; }
        @Override public int context() { return T; }

        @Override public Tensor logits(int[] ids, int B, int n) {
            float[] out = new float[B * n * V];
            for (int b = 0; b < B; b++) {
                float[] h = new float[V];
                for (int t = 0; t < n; t++) step(h, ids[b * n + t], t, out, (b * n + t) * V);
            }
            return Tensor.of(out, B, n, V);
        }

        void step(float[] h, int id, int pos, float[] out, int o) {
            for (int j = 0; j < V; j++) {
                h[j] = 0.6f * h[j] + E[id][j];
                out[o + j] = h[j] + P[pos][j];
            }
        }

        @Override public boolean supportsCache() { return true; }
        @Override public DecodeCache newCache(int batch) { return new Cache(batch); }

        @Override public Tensor logits(int[] ids, int B, int n, DecodeCache cache) {
            Cache c = (Cache) cache;
            assertEquals(c.h.length, B, "batch of the call vs rows of the cache");
            if (c.length + n > T) throw new IllegalArgumentException("cache overflow");
            float[] out = new float[B * n * V];
            for (int b = 0; b < B; b++)
                for (int t = 0; t < n; t++) step(c.h[b], ids[b * n + t], c.length + t, out, (b * n + t) * V);
            c.length += n;
            return Tensor.of(out, B, n, V);
        }

        final class Cache implements DecodeCache {
            float[][] h;
            int length;
            Cache(int batch) { h = new float[batch][V]; }
            @Override public int length() { return length; }
            @Override public int batch() { return h.length; }
            @Override public int capacity() { return T; }
            @Override public void reset() { length = 0; for (float[] r : h) Arrays.fill(r, 0); }
            @Override public long bytes() { return 4L * V * h.length; }
            @Override public long bytesPerToken() { return 0; }
            @Override public void reorder(int[] rows) {
                float[][] n = new float[rows.length][];
                for (int i = 0; i < rows.length; i++) n[i] = h[rows[i]].clone();
                h = n;
            }
        }
    }

    /** Every output of up to maxNew tokens (ending with eos, or maxNew long without it), scored; best first. */
    static List<BeamSearch.Hypothesis> bruteForce(LanguageModel lm, int[] prompt, int maxNew, int eos, LengthPenalty pen, int noRepeat) {
        List<BeamSearch.Hypothesis> all = new ArrayList<>();
        expand(lm, prompt, new int[0], 0, maxNew, eos, pen, noRepeat, all);
        all.sort(Comparator.comparingDouble(BeamSearch.Hypothesis::score).reversed());
        return all;
    }

    private static void expand(LanguageModel lm, int[] prompt, int[] toks, double logp, int maxNew, int eos, LengthPenalty pen, int noRepeat,
                               List<BeamSearch.Hypothesis> all) {
        if (toks.length == maxNew) {
            all.add(new BeamSearch.Hypothesis(toks, logp, pen.score(logp, toks.length), toks.length, false));
            return;
        }
        int[] seq = Arrays.copyOf(prompt, prompt.length + toks.length);
        System.arraycopy(toks, 0, seq, prompt.length, toks.length);
        int V = lm.vocab();
        float[] all1 = lm.logits(seq, 1, seq.length).toArray();
        float[] row = Arrays.copyOfRange(all1, all1.length - V, all1.length);
        if (noRepeat > 0) new NoRepeatNgram(noRepeat).process(row, seq);
        double[] lp = BeamSearch.logSoftmax(row);
        for (int v = 0; v < V; v++) {
            if (lp[v] == Double.NEGATIVE_INFINITY) continue;
            if (v == eos) {
                all.add(new BeamSearch.Hypothesis(toks, logp + lp[v], pen.score(logp + lp[v], toks.length + 1), toks.length + 1, true));
                continue;
            }
            int[] grown = Arrays.copyOf(toks, toks.length + 1);
            grown[toks.length] = v;
            expand(lm, prompt, grown, logp + lp[v], maxNew, eos, pen, noRepeat, all);
        }
    }

    static void assertSameList(List<BeamSearch.Hypothesis> expected, List<BeamSearch.Hypothesis> actual, double tol, String what) {
        assertEquals(expected.size(), actual.size(), what + ": n-best size");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).tokens(), actual.get(i).tokens(), what + ": hypothesis " + i);
            assertEquals(expected.get(i).score(), actual.get(i).score(), tol, what + ": score " + i);
            assertEquals(expected.get(i).logProb(), actual.get(i).logProb(), tol, what + ": logp " + i);
            assertEquals(expected.get(i).finished(), actual.get(i).finished(), what + ": finished " + i);
        }
    }

    @Test
    void aWideEnoughBeamIsExactlyBruteForceForEveryLengthPenalty() {
        // V = 4 with end token 0, 3 new tokens: 1 + 3 + 9 outputs ending early and 27 full ones = 40; width 40 keeps them all
        for (long seed = 1; seed <= 3; seed++) {
            DecayLm lm = new DecayLm(4, 12, seed);
            int[] prompt = {2, 3};
            for (LengthPenalty pen : List.of(LengthPenalty.none(), LengthPenalty.average(), LengthPenalty.gnmt(0.6), LengthPenalty.gnmt(2))) {
                for (int noRepeat : new int[] {0, 2}) {
                    List<BeamSearch.Hypothesis> brute = bruteForce(lm, prompt, 3, 0, pen, noRepeat);
                    for (boolean cache : new boolean[] {true, false}) {
                        List<BeamSearch.Hypothesis> beam = new BeamSearch(lm).width(40).stopAt(0).lengthPenalty(pen).noRepeatNgram(noRepeat)
                                .useCache(cache).search(prompt, 3);
                        String what = "seed " + seed + ", " + pen + ", no-repeat " + noRepeat + ", cache " + cache;
                        assertSameList(brute.subList(0, Math.min(40, brute.size())), beam, 1e-9, what);
                    }
                }
            }
        }
    }

    @Test
    void theBestOfANarrowBeamIsTheBruteForceBestWhenTheBeamCanHoldIt() {
        // with width 5 and no penalty, the top hypothesis is exact when it never drops out; check the n-best are real outputs
        DecayLm lm = new DecayLm(5, 12, 7);
        int[] prompt = {1};
        List<BeamSearch.Hypothesis> brute = bruteForce(lm, prompt, 3, 0, LengthPenalty.none(), 0);
        List<BeamSearch.Hypothesis> beam = new BeamSearch(lm).width(5).stopAt(0).search(prompt, 3);
        assertEquals(5, beam.size());
        for (BeamSearch.Hypothesis h : beam) {
            assertTrue(brute.stream().anyMatch(b -> Arrays.equals(b.tokens(), h.tokens()) && b.finished() == h.finished()
                    && Math.abs(b.logProb() - h.logProb()) < 1e-9), "a real output with its true log-probability: " + h);
        }
        for (int i = 1; i < beam.size(); i++) assertTrue(beam.get(i - 1).score() >= beam.get(i).score(), "sorted best first");
        assertTrue(beam.get(0).score() <= brute.get(0).score() + 1e-12, "never better than the true best");
    }

    @Test
    void widthOneIsGreedyExactly() {
        for (long seed = 1; seed <= 5; seed++) {
            DecayLm lm = new DecayLm(6, 30, seed);
            int[] prompt = {1, 2, 3};
            assertArrayEquals(new Generator(lm).greedy(prompt, 20), new BeamSearch(lm).width(1).generate(prompt, 20), "no end token, seed " + seed);
            for (int eos = 0; eos < 6; eos++)
                assertArrayEquals(new Generator(lm).stopAt(eos).greedy(prompt, 20), new BeamSearch(lm).width(1).stopAt(eos).generate(prompt, 20),
                        "end token " + eos + ", seed " + seed);
        }
        Decoder gpt = new Decoder(TransformerConfig.gpt2(17).toBuilder().context(32).layers(2).width(32).hidden(64).heads(2).build(), new Rng(3));
        int[] prompt = {4, 5, 6};
        assertArrayEquals(new Generator(gpt).greedy(prompt, 25), new BeamSearch(gpt).width(1).generate(prompt, 25), "a real decoder");
    }

    @Test
    void withTheCacheEqualsWithoutOnARealDecoder() {
        Decoder gpt = new Decoder(TransformerConfig.gpt2(17).toBuilder().context(32).layers(2).width(32).hidden(64).heads(2).build(), new Rng(5));
        int[] prompt = {4, 5, 6, 7};
        for (int k : new int[] {2, 5}) {
            BeamSearch cached = new BeamSearch(gpt).width(k).stopAt(3).lengthPenalty(LengthPenalty.gnmt(1)), plain = new BeamSearch(gpt).width(k)
                    .stopAt(3).lengthPenalty(LengthPenalty.gnmt(1)).useCache(false);
            List<BeamSearch.Hypothesis> a = cached.search(prompt, 20), b = plain.search(prompt, 20);
            assertSameList(b, a, 1e-4, "width " + k);
            assertTrue(cached.positionsComputed() < plain.positionsComputed(), "the cache computes fewer positions");
        }
    }

    @Test
    void refusesWhatItCannotDo() {
        DecayLm lm = new DecayLm(4, 8, 1);
        assertThrows(IllegalArgumentException.class, () -> new BeamSearch(lm).width(0));
        assertThrows(IllegalArgumentException.class, () -> new BeamSearch(lm).stopAt(4));
        assertThrows(IllegalArgumentException.class, () -> new BeamSearch(lm).noRepeatNgram(-1));
        var e = assertThrows(IllegalArgumentException.class, () -> new BeamSearch(lm).search(new int[] {1, 2, 3}, 6));
        assertTrue(e.getMessage().contains("context 8"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BeamSearch(lm).search(new int[0], 2));
        assertThrows(IllegalArgumentException.class, () -> new BeamSearch(lm).search(new int[] {9}, 2));
    }

    @Test
    void lengthPenaltiesByHand() {
        assertEquals(-6, LengthPenalty.none().score(-6, 4), 0);
        assertEquals(-1.5, LengthPenalty.average().score(-6, 4), 0);
        assertEquals(-6 / Math.pow(1.5, 0.6), LengthPenalty.gnmt(0.6).score(-6, 4), 1e-12);
        assertEquals(1, LengthPenalty.gnmt(0.8).divisor(1), 1e-12, "((5+1)/6)^α = 1");
        assertEquals(LengthPenalty.none(), LengthPenalty.parse("0"));
        assertEquals(LengthPenalty.gnmt(0.6), LengthPenalty.parse("0.6"));
        assertEquals(LengthPenalty.average(), LengthPenalty.parse("average"));
        assertThrows(IllegalArgumentException.class, () -> LengthPenalty.parse("-1"));
        assertThrows(IllegalArgumentException.class, () -> LengthPenalty.parse("long"));
    }

    @Test
    void noRepeatNgramAndFrequencyPenaltyByHand() {
        float[] l = new float[5];
        new NoRepeatNgram(2).process(l, new int[] {0, 1, 2, 0});          // bigram 0 1 exists: 1 is banned after 0
        assertArrayEquals(new float[] {0, Float.NEGATIVE_INFINITY, 0, 0, 0}, l);
        l = new float[5];
        new NoRepeatNgram(3).process(l, new int[] {0, 1, 2, 0, 1, 4, 0});   // last two (4, 0) never seen before: nothing banned
        assertArrayEquals(new float[5], l);
        l = new float[5];
        new NoRepeatNgram(1).process(l, new int[] {3, 3, 1});              // n = 1: no token twice
        assertArrayEquals(new float[] {0, Float.NEGATIVE_INFINITY, 0, Float.NEGATIVE_INFINITY, 0}, l);
        float[] f = {1, 1, 1, 1};
        new FrequencyPenalty(0.5f).process(f, new int[] {2, 2, 2, 0});
        assertArrayEquals(new float[] {0.5f, 1, -0.5f, 1}, f);
        assertThrows(IllegalArgumentException.class, () -> new FrequencyPenalty(-1f));
    }

    @Test
    void noRepeatNgramKeepsBeamOutputFreeOfRepeats() {
        DecayLm lm = new DecayLm(6, 40, 11);
        int[] prompt = {1};
        int[] out = new BeamSearch(lm).width(3).noRepeatNgram(2).generate(prompt, 15);
        assertEquals(0, TextMetrics.repetitionRate(out, 2), "no bigram twice: " + Arrays.toString(out));
    }
}
