package llmbook.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import llmbook.model.DecodeCache;
import llmbook.model.LanguageModel;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.nn.Module;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

class GeneratorTest {
    /**
     * A test double that, like a transformer, depends on the whole window and on absolute positions: the logits at
     * position p are {@code Σ_{s ≤ p} E[ids[s]] + P[p]}. Its cache keeps the running sum and counts positions, so
     * cached and uncached decoding agree only if the generator feeds the cache the right tokens.
     */
    static final class WindowSumLm extends Module implements LanguageModel {
        final int V, T;
        final float[][] E, P;
        int maxCached;

        WindowSumLm(int V, int T, long seed) {
            this.V = V;
            this.T = T;
            Rng r = new Rng(seed);
            E = new float[V][V];
            P = new float[T][V];
            for (float[] row : E) for (int j = 0; j < V; j++) row[j] = r.nextGaussian();
            for (float[] row : P) for (int j = 0; j < V; j++) row[j] = r.nextGaussian();
        }

        @Override public int vocab() { return V; }
        @Override public int context() { return T; }

        @Override public Tensor logits(int[] ids, int B, int n) {
            if (n > T) throw new IllegalArgumentException("window " + n + " > context " + T);
            float[] out = new float[B * n * V];
            for (int b = 0; b < B; b++) {
                float[] sum = new float[V];
                for (int t = 0; t < n; t++) {
                    for (int j = 0; j < V; j++) sum[j] += E[ids[b * n + t]][j];
                    for (int j = 0; j < V; j++) out[(b * n + t) * V + j] = sum[j] + P[t][j];
                }
            }
            return Tensor.of(out, B, n, V);
        }

        @Override public boolean supportsCache() { return true; }

        @Override public DecodeCache newCache(int batch) { return new Cache(batch); }

        @Override public Tensor logits(int[] ids, int B, int n, DecodeCache cache) {
            Cache c = (Cache) cache;
            if (c.length + n > T) throw new IllegalArgumentException("cache overflow: " + c.length + " + " + n + " > " + T);
            float[] out = new float[n * V];
            for (int t = 0; t < n; t++) {
                for (int j = 0; j < V; j++) c.sum[j] += E[ids[t]][j];
                for (int j = 0; j < V; j++) out[t * V + j] = c.sum[j] + P[c.length][j];
                c.length++;
            }
            maxCached = Math.max(maxCached, c.length);
            return Tensor.of(out, 1, n, V);
        }

        final class Cache implements DecodeCache {
            final float[] sum = new float[V];
            int length;
            final int batch;
            Cache(int batch) { this.batch = batch; }
            @Override public int length() { return length; }
            @Override public int batch() { return batch; }
            @Override public int capacity() { return T; }
            @Override public void reset() { length = 0; Arrays.fill(sum, 0f); }
            @Override public long bytes() { return 4L * V; }
            @Override public long bytesPerToken() { return 0; }
            @Override public void reorder(int[] rows) {}
        }
    }

    @Test
    void withTheCacheEqualsWithoutAcrossWindowJumps() {
        WindowSumLm lm = new WindowSumLm(11, 8, 1);
        int[] prompt = {3, 1, 4};
        for (int maxNew : new int[] {4, 30}) {                        // inside the context, then jumping several times
            Generator cached = new Generator(lm), plain = new Generator(lm).useCache(false);
            assertTrue(cached.usesCache());
            assertArrayEquals(plain.greedy(prompt, maxNew), cached.greedy(prompt, maxNew), "greedy, " + maxNew + " new tokens");
            assertArrayEquals(plain.generate(prompt, maxNew, Sampler.of(1f, 5, 0.9f, new Rng(4))),
                    cached.generate(prompt, maxNew, Sampler.of(1f, 5, 0.9f, new Rng(4))), "seeded sampling, " + maxNew);
        }
        assertTrue(lm.maxCached <= 8, "the cache never outgrows the context");
        int[] longPrompt = new int[20];
        for (int i = 0; i < longPrompt.length; i++) longPrompt[i] = i % 11;
        assertArrayEquals(new Generator(lm).useCache(false).greedy(longPrompt, 10), new Generator(lm).greedy(longPrompt, 10));
    }

    @Test
    void theCacheDoesOnePositionPerTokenUntilTheWindowJumps() {
        WindowSumLm lm = new WindowSumLm(11, 8, 2);
        Generator cached = new Generator(lm), plain = new Generator(lm).useCache(false);
        cached.greedy(new int[] {1}, 7);
        assertEquals(7, cached.positionsComputed(), "one position per chosen token");
        plain.greedy(new int[] {1}, 7);
        assertEquals(1 + 2 + 3 + 4 + 5 + 6 + 7, plain.positionsComputed());
        Generator jump = new Generator(lm);
        jump.greedy(new int[] {1}, 9);                               // token 8 is chosen from tokens 0..7, token 9 from 5..8
        assertEquals(8 + 4, jump.positionsComputed(), "the jump refills the last half-window in one pass");
    }

    @Test
    void stopsAtTheEndTokenAndStreamsEveryToken() {
        WindowSumLm lm = new WindowSumLm(11, 8, 3);
        int[] full = new Generator(lm).greedy(new int[] {2}, 12);
        int end = full[5];
        int firstEnd = 1;
        while (full[firstEnd] != end) firstEnd++;
        List<int[]> streamed = new ArrayList<>();
        int[] stopped = new Generator(lm).stopAt(end).onToken((id, pos) -> streamed.add(new int[] {id, (int) pos})).greedy(new int[] {2}, 12);
        assertArrayEquals(Arrays.copyOf(full, firstEnd), stopped, "everything before the end token, without it");
        assertEquals(firstEnd - 1, streamed.size());
        for (int[] s : streamed) assertEquals(full[s[1]], s[0], "token " + s[1] + " streamed as chosen");
        assertThrows(IllegalArgumentException.class, () -> new Generator(lm).stopAt(11));
        assertThrows(IllegalArgumentException.class, () -> new Generator(lm).greedy(new int[] {}, 3));
        assertThrows(IllegalArgumentException.class, () -> new Generator(lm).greedy(new int[] {11}, 3));
    }

    @Test
    void worksWithTheDecoderWithAndWithoutItsCache() {
        Decoder g = new Decoder(TransformerConfig.gpt2(13).toBuilder().context(6).layers(1).heads(2).width(8).hidden(4 * (8)).dropout(0.1f).build(), new Rng(7));
        g.train();
        Generator gen = new Generator(g).useCache(false);
        assertTrue(new Generator(g).usesCache(), "the Decoder has a KV cache, used by default");
        int[] prompt = {1, 2, 3};
        int[] out = gen.greedy(prompt, 10);
        assertArrayEquals(out, new Generator(g).greedy(prompt, 10), "the cache changes the work, not the tokens (across window jumps)");
        assertTrue(g.isTraining(), "the model's mode is put back");
        // by hand: the argmax of the last row over the same window (it jumps to the last 3 tokens past 6)
        g.eval();
        int start = 0;
        try (var ng = Tensor.noGrad()) {
            for (int n = 3; n < out.length; n++) {
                if (n - start > 6) start = n - 3;
                float[] l = g.forward(Arrays.copyOfRange(out, start, n), 1, n - start).toArray();
                assertEquals(Sampler.argmax(Arrays.copyOfRange(l, l.length - 13, l.length)), out[n], "token " + n);
            }
        }
        int[] a = gen.generate(prompt, 10, Sampler.of(0.9f, 0, 0.95f, new Rng(5))), b = gen.generate(prompt, 10, Sampler.of(0.9f, 0, 0.95f, new Rng(5)));
        assertArrayEquals(a, b, "seeded sampling repeats");
    }
}
