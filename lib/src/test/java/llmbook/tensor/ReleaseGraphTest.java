package llmbook.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import llmbook.kernels.Kernels;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.optim.AdamW;
import llmbook.optim.ParamGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Tensor#releaseGraph()} and {@link Buffers}: recycled storage changes no number, and released tensors refuse reads. */
class ReleaseGraphTest {
    @AfterEach
    void restore() { Kernels.setThreads(Runtime.getRuntime().availableProcessors()); }

    /** Losses of a few AdamW steps of a small GPT (big enough that its arrays are pooled), one thread. */
    static float[] train(boolean release) { return train(release, 1); }

    static float[] train(boolean release, int threads) { return train(release ? 1 : 0, threads, null); }

    /** {@code how}: 0 backward, 1 backward then releaseGraph, 2 backwardAndRelease; the weights after the steps into {@code weights}. */
    static float[] train(int how, int threads, java.util.List<float[]> weights) {
        Kernels.setThreads(threads);
        Buffers.clear();
        int B = 4, T = 16, V = 13;
        Decoder gpt = new Decoder(TransformerConfig.gpt2(V).toBuilder().context(T).layers(2).heads(2).width(32).hidden(4 * (32)).dropout(0f).build(), new Rng(5));
        AdamW opt = new AdamW(ParamGroup.decayMatricesOnly(gpt.namedParameters(), 0.1f), 3e-3f);
        Rng rng = new Rng(9);
        int[] x = new int[B * T], y = new int[B * T];
        float[] losses = new float[6];
        for (int step = 0; step < losses.length; step++) {
            for (int i = 0; i < x.length; i++) { x[i] = rng.nextInt(V); y[i] = (x[i] * 7 + 3) % V; }
            opt.zeroGrad();
            Tensor loss = gpt.loss(x, y, B, T);
            if (how == 2) loss.backwardAndRelease();
            else loss.backward();
            opt.step();
            if (how == 1) loss.releaseGraph();
            losses[step] = loss.item();                  // the root keeps its value
        }
        if (weights != null) for (Tensor p : gpt.namedParameters().values()) weights.add(p.toArray());
        return losses;
    }

    @Test
    void recycledStorageGivesTheSameLossesBitForBit() {
        float[] fresh = train(false), recycled = train(true);
        assertArrayEquals(fresh, recycled);
        assertTrue(fresh[5] < fresh[0], "the model learns: " + fresh[0] + " -> " + fresh[5]);
    }

    /**
     * Releasing gradients during the pass (and handing a residual add's gradient on instead of copying it) changes no
     * parameter gradient: the same losses and weights, bit for bit, at one and two threads.
     */
    @Test
    void backwardAndReleaseTrainsTheSameBits() {
        for (int threads : new int[] {1, 2}) {
            java.util.List<float[]> plain = new java.util.ArrayList<>(), releasing = new java.util.ArrayList<>();
            assertArrayEquals(train(1, threads, plain), train(2, threads, releasing));
            for (int i = 0; i < plain.size(); i++) assertArrayEquals(plain.get(i), releasing.get(i), "parameter " + i);
        }
    }

    /** A graph where an input is added to itself, a residual input gets a later contribution, and a reshape is in the way. */
    static Tensor handOffGraph(Tensor w) {
        Tensor x = Tensor.randn(new Rng(2), 32, 64);
        Tensor h = x.matmul(w);                          // (32, 64): 2048 floats, pooled
        Tensor r = h.add(h.tanh());                      // h takes r's gradient; tanh's backward then adds into it
        Tensor s = r.reshape(64, 32);
        Tensor z = s.add(s).mul(s.sigmoid());            // an input twice: 2g, not g
        return z.mul(z).sum();
    }

    @Test
    void backwardAndReleaseGivesBackwardsLeafGradientsAndKeepsNoIntermediate() {
        Buffers.clear();
        Tensor w1 = Tensor.randn(new Rng(1), 64, 64).requiresGrad(true), w2 = Tensor.randn(new Rng(1), 64, 64).requiresGrad(true);
        Tensor plain = handOffGraph(w1);
        plain.backward();
        Tensor releasing = handOffGraph(w2);
        java.util.List<Tensor> inner = releasing.topoOrder().stream().filter(t -> t != w2).toList();
        releasing.backwardAndRelease();
        assertArrayEquals(w1.grad().toArray(), w2.grad().toArray());
        assertEquals(plain.item(), releasing.item());    // the root keeps its value
        for (Tensor t : inner) if (t != releasing) {
            assertEquals(null, t.grad(), "no intermediate keeps a gradient: " + t);
            assertThrows(IllegalStateException.class, t::toArray, "released: " + t);
        }
        assertTrue(Buffers.heldFloats() >= 4 * 2048, "the intermediates' storage is pooled: " + Buffers.heldFloats());
        // a second step on recycled storage: the same gradient again
        w2.zeroGrad();
        handOffGraph(w2).backwardAndRelease();
        assertArrayEquals(w1.grad().toArray(), w2.grad().toArray());
        Buffers.clear();
    }

    /** Every kernel splits work so that each output element sees the same operations in the same order. */
    @Test
    void twoThreadsGiveTheSameLossesAsOne() {
        assertArrayEquals(train(true, 1), train(true, 2));
    }

    @Test
    void releaseRecyclesIntermediatesAndKeepsLeaves() {
        Buffers.clear();
        Tensor w = Tensor.randn(new Rng(1), 64, 64).requiresGrad(true);
        Tensor x = Tensor.randn(new Rng(2), 32, 64);
        Tensor h = x.matmul(w).tanh();                  // (32, 64): 2048 floats, pooled
        Tensor loss = h.mul(h).sum();
        loss.backward();
        float[] wGrad = w.grad().toArray();
        loss.releaseGraph();
        assertTrue(Buffers.heldFloats() >= 3 * 2048, "values and gradients of the intermediates are pooled: " + Buffers.heldFloats());
        assertNotNull(w.grad(), "a parameter keeps its gradient");
        assertArrayEquals(wGrad, w.grad().toArray());
        assertEquals(64 * 64, w.toArray().length);         // a leaf stays readable
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> h.toArray());
        assertTrue(e.getMessage().contains("released"), e.getMessage());
        loss.item();                                     // the root's value stays readable
        float[] again = Buffers.zeroed(2048);
        for (float v : again) assertEquals(0f, v);      // zeroed() clears a recycled array
        Buffers.clear();
        assertEquals(0, Buffers.heldFloats());
    }

    /** An op (elementwise, view, matmul, or one written outside this package) refuses a released tensor as input. */
    @Test
    void opsRefuseAReleasedInput() {
        Tensor w = Tensor.randn(new Rng(1), 8, 8).requiresGrad(true);
        Tensor h = Tensor.randn(new Rng(2), 4, 8).matmul(w).tanh();
        Tensor loss = h.sum();
        loss.backward();
        loss.releaseGraph();
        java.util.List<org.junit.jupiter.api.function.Executable> uses = java.util.List.of(
                () -> h.add(1f), () -> h.mul(h), () -> h.reshape(32), () -> h.transpose(0, 1), () -> h.matmul(w),
                () -> h.softmax(), () -> h.detach(), () -> Tensor.fromOp("custom", new float[32], new int[] {4, 8}, h));
        for (var use : uses) {
            IllegalStateException e = assertThrows(IllegalStateException.class, use);
            assertTrue(e.getMessage().contains("released by releaseGraph()") && e.getMessage().contains("(4, 8)"), e.getMessage());
        }
        try (var g = Tensor.noGrad()) {                  // also without a graph being recorded
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> h.add(1f));
            assertTrue(e.getMessage().startsWith("op 'add") && e.getMessage().contains("released"), e.getMessage());
        }
        w.matmul(w).sum();                               // leaves stay usable
    }
}
