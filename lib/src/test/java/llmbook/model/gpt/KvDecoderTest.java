package llmbook.model.gpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

class KvDecoderTest {
    static final GptConfig CFG = new GptConfig(23, 16, 2, 2, 24, 0f);

    static Gpt model() {
        Gpt g = new Gpt(CFG, new Rng(11));
        // larger weights than the N(0, 0.02) init, so the logits are far from uniform and ties are rare
        for (Tensor p : g.parameters()) if (p.dim() >= 2) for (int i = 0; i < p.data().length; i++) p.data()[i] *= 8f;
        return g;
    }

    static float[] lastRow(Gpt g, int[] ids) {
        try (var ng = Tensor.noGrad()) {
            float[] all = g.forward(ids, 1, ids.length).toArray();
            return Arrays.copyOfRange(all, (ids.length - 1) * CFG.vocab(), ids.length * CFG.vocab());
        }
    }

    @Test
    void cachedLogitsEqualTheFullForwardAtEveryPosition() {
        Gpt g = model();
        int[] ids = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3};
        KvDecoder dec = new KvDecoder(g);
        for (int n = 1; n <= ids.length; n++) {
            float[] cached = dec.append(ids[n - 1]);
            assertEquals(n, dec.length(), "the cache grows by one position per token");
            float[] full = lastRow(g, Arrays.copyOf(ids, n));
            for (int v = 0; v < full.length; v++) assertEquals(full[v], cached[v], 1e-4f, "position " + (n - 1) + ", logit " + v);
        }
    }

    @Test
    void aBatchedPrefillEqualsOneTokenAtATime() {
        Gpt g = model();
        int[] ids = {7, 0, 22, 13, 13, 2, 5, 19, 1};
        KvDecoder a = new KvDecoder(g), b = new KvDecoder(g);
        float[] batched = a.append(Arrays.copyOf(ids, 6));
        float[] one = null;
        for (int i = 0; i < 6; i++) one = b.append(ids[i]);
        for (int v = 0; v < one.length; v++) assertEquals(one[v], batched[v], 1e-4f);
        float[] next = a.append(Arrays.copyOfRange(ids, 6, 9));
        float[] full = lastRow(g, ids);
        for (int v = 0; v < full.length; v++) assertEquals(full[v], next[v], 1e-4f);
    }

    @Test
    void greedyWithTheCacheEqualsGreedyWithout() {
        Gpt g = model();
        Generator gen = new Generator(g);
        int[] prompt = {4, 8, 15};
        // within the context, and well past it (the window jumps twice)
        for (int maxNew : new int[] {13, 40}) {
            int[] cached = gen.greedy(prompt, maxNew, true), plain = gen.greedy(prompt, maxNew, false);
            assertArrayEquals(plain, cached, "greedy, " + maxNew + " new tokens");
        }
        int[] s1 = gen.generate(prompt, 40, 1f, 5, 0.9f, new Rng(3), true), s2 = gen.generate(prompt, 40, 1f, 5, 0.9f, new Rng(3), false);
        assertArrayEquals(s2, s1, "seeded sampling draws the same tokens with or without the cache");
        // a prompt longer than the context keeps its last `context` tokens
        int[] longPrompt = new int[40];
        for (int i = 0; i < longPrompt.length; i++) longPrompt[i] = (i * 7) % CFG.vocab();
        assertArrayEquals(gen.greedy(longPrompt, 10, false), gen.greedy(longPrompt, 10, true));
    }

    @Test
    void theCacheDoesLinearWorkAndRefusesToOverflow() {
        Gpt g = model();
        Generator gen = new Generator(g);
        gen.greedy(new int[] {1}, 15, true);
        assertEquals(15, gen.positionsComputed(), "one position per new token");
        Generator plain = new Generator(g);
        plain.greedy(new int[] {1}, 15, false);
        assertEquals(15 * 16 / 2, plain.positionsComputed(), "1 + 2 + ... + 15 positions without the cache");
        KvDecoder dec = new KvDecoder(g);
        dec.append(new int[16]);
        var e = assertThrows(IllegalArgumentException.class, () -> dec.append(1));
        assertTrue(e.getMessage().contains("context 16"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new KvDecoder(g).append(23));
        assertEquals(2L * 2 * 16 * 24 * 4, dec.cacheBytes());
        dec.reset();
        assertEquals(0, dec.length());
    }

    @Test
    void generationLeavesTheModelInTheModeItFoundItIn() {
        Gpt g = model();
        g.train();
        new Generator(g).greedy(new int[] {1, 2}, 3, true);
        assertTrue(g.isTraining());
        g.eval();
        new Generator(g).greedy(new int[] {1, 2}, 3, false);
        assertTrue(!g.isTraining());
    }
}
