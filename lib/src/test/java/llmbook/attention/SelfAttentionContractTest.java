package llmbook.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import llmbook.autograd.GradCheck;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The same tests over every self-attention: shapes, gradients, the causal mask, padding, captured weights. */
class SelfAttentionContractTest {
    static final int B = 2, T = 4, C = 8, H = 4;

    static Stream<Arguments> layers() {
        List<Arguments> out = new ArrayList<>();
        out.add(Arguments.of("MultiHeadAttention", (Supplier<SelfAttention>) () -> new MultiHeadAttention(C, H, new Rng(1))));
        out.add(Arguments.of("MHA (GQA G=H)", (Supplier<SelfAttention>) () -> new GroupedQueryAttention(C, H, H, new Rng(2))));
        out.add(Arguments.of("GQA G=2", (Supplier<SelfAttention>) () -> new GroupedQueryAttention(C, H, 2, new Rng(3))));
        out.add(Arguments.of("MQA (GQA G=1)", (Supplier<SelfAttention>) () -> new GroupedQueryAttention(C, H, 1, new Rng(4))));
        out.add(Arguments.of("GQA G=2 + RoPE", (Supplier<SelfAttention>) () -> new GroupedQueryAttention(new AttentionConfig(C, H, 2, false, true), new Rng(5))));
        out.add(Arguments.of("MHA + RoPE", (Supplier<SelfAttention>) () -> new GroupedQueryAttention(new AttentionConfig(C, H, H, false, true), new Rng(7))));
        out.add(Arguments.of("MQA + RoPE", (Supplier<SelfAttention>) () -> new GroupedQueryAttention(new AttentionConfig(C, H, 1, true, true), new Rng(8))));
        out.add(Arguments.of("MLA", (Supplier<SelfAttention>) () -> new MultiHeadLatentAttention(C, H, 4, 2, new Rng(6))));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}") @MethodSource("layers")
    void shapeAndWeights(String name, Supplier<SelfAttention> make) {
        SelfAttention a = make.get();
        var off = assertThrows(IllegalStateException.class, a::lastWeights);
        assertTrue(off.getMessage().contains("captureWeights(true)"), off.getMessage());
        a.captureWeights(true);
        Tensor y = a.forward(Tensor.randn(new Rng(9), B, T, C), Mask.CAUSAL);
        assertArrayEquals(new int[] {B, T, C}, y.shape(), name);
        Tensor w = a.lastWeights();
        assertArrayEquals(new int[] {B, H, T, T}, w.shape(), name);
        for (int i = 0; i < T; i++) for (int j = i + 1; j < T; j++) assertEquals(0f, w.get(1, 2, i, j), name);
        assertFalse(w.requiresGrad(), name + ": captured weights are detached");
    }

    @ParameterizedTest(name = "{0}") @MethodSource("layers")
    void gradientsOfInputAndEveryParameter(String name, Supplier<SelfAttention> make) {
        SelfAttention a = make.get();
        List<Tensor> in = new ArrayList<>();
        in.add(Tensor.randn(new Rng(10), B, 3, C).requiresGrad(true));
        in.addAll(a.parameters());
        for (Mask m : new Mask[] {Mask.CAUSAL, Mask.padding(3, 2)}) {
            GradCheck.Report r = GradCheck.check(x -> a.forward(x[0], m), in.toArray(new Tensor[0]));
            assertTrue(r.ok(), name + " " + m + ": " + r);
        }
    }

    /** Changing token t+1 leaves every output at positions ≤ t bit-for-bit unchanged. */
    @ParameterizedTest(name = "{0}") @MethodSource("layers")
    void causalMaskHidesTheFuture(String name, Supplier<SelfAttention> make) {
        SelfAttention a = make.get();
        try (var g = Tensor.noGrad()) {
            for (int t = 0; t + 1 < T; t++) {
                Tensor x = Tensor.randn(new Rng(20 + t), B, T, C);
                float[] before = a.forward(x, Mask.CAUSAL).toArray();
                for (int c = 0; c < C; c++) x.set(x.get(1, t + 1, c) + 3f, 1, t + 1, c);
                for (int c = 0; c < C; c++) x.set(-x.get(0, t + 1, c), 0, t + 1, c);
                float[] after = a.forward(x, Mask.CAUSAL).toArray();
                for (int b = 0; b < B; b++)
                    for (int p = 0; p < T; p++) {
                        boolean same = true;
                        for (int c = 0; c < C; c++) same &= before[(b * T + p) * C + c] == after[(b * T + p) * C + c];
                        if (p <= t) assertTrue(same, name + ": output at " + p + " changed when token " + (t + 1) + " changed");
                        else if (p == t + 1) assertFalse(same, name + ": output at the changed position " + p + " should change");
                    }
            }
            // and without the mask the past does see the future
            Tensor x = Tensor.randn(new Rng(30), B, T, C);
            float[] before = a.forward(x, Mask.NONE).toArray();
            x.set(x.get(0, T - 1, 0) + 3f, 0, T - 1, 0);
            assertFalse(before[0] == a.forward(x, Mask.NONE).toArray()[0], name + ": bidirectional output at 0 should see the last token");
        }
    }

    /** Padded key positions do not influence the real ones. */
    @ParameterizedTest(name = "{0}") @MethodSource("layers")
    void paddingIsInvisible(String name, Supplier<SelfAttention> make) {
        SelfAttention a = make.get();
        try (var g = Tensor.noGrad()) {
            Tensor x = Tensor.randn(new Rng(40), B, T, C);
            Mask m = Mask.padding(T, 2);
            float[] before = a.forward(x, m).toArray();
            for (int c = 0; c < C; c++) { x.set(9f, 1, 2, c); x.set(-9f, 1, 3, c); }
            float[] after = a.forward(x, m).toArray();
            for (int i = 0; i < T * C; i++) assertEquals(before[i], after[i], 0f, name + ": sequence 0 changed");
            for (int i = 0; i < 2 * C; i++) assertEquals(before[T * C + i], after[T * C + i], 0f, name + ": real token of sequence 1 changed");
        }
    }

    @ParameterizedTest(name = "{0}") @MethodSource("layers")
    void inputShapeErrorNamesTheLayer(String name, Supplier<SelfAttention> make) {
        SelfAttention a = make.get();
        var e = assertThrows(IllegalArgumentException.class, () -> a.forward(Tensor.zeros(B, T, C + 1), Mask.NONE));
        assertTrue(e.getMessage().contains(".forward: x must be (B, T, 8), got (2, 4, 9)"), e.getMessage());
    }

    /**
     * The fused op (weights not captured) and the composed path (captured) compute the same function: outputs and the
     * gradients of the input and of every parameter agree to 1e-5.
     */
    @ParameterizedTest(name = "{0}") @MethodSource("layers")
    void fusedEqualsComposed(String name, Supplier<SelfAttention> make) {
        SelfAttention a = make.get();
        Tensor x = Tensor.randn(new Rng(11), B, 6, C).requiresGrad(true);
        float[] seed = Tensor.randn(new Rng(12), B * 6 * C).toArray();
        List<float[]> got = new ArrayList<>();
        for (boolean capture : new boolean[] {false, true}) {
            a.captureWeights(capture);
            x.zeroGrad();
            for (Tensor p : a.parameters()) p.zeroGrad();
            Tensor y = a.forward(x, Mask.CAUSAL);
            y.backward(seed);
            List<Float> all = new ArrayList<>();
            for (float f : y.toArray()) all.add(f);
            for (float f : x.grad().toArray()) all.add(f);
            for (Tensor p : a.parameters()) for (float f : p.grad().toArray()) all.add(f);
            float[] arr = new float[all.size()];
            for (int i = 0; i < arr.length; i++) arr[i] = all.get(i);
            got.add(arr);
        }
        float[] fused = got.get(0), composed = got.get(1);
        for (int i = 0; i < fused.length; i++)
            assertEquals(composed[i], fused[i], 1e-5 * Math.max(1, Math.abs(composed[i])), name + ": element " + i);
    }

    /**
     * Inference with a padding mask (an encoder under {@link Tensor#noGrad()}): the fused padded kernel, taken when no
     * weights are captured, equals the composed path (captured), padding rows included, with and without padding.
     */
    @ParameterizedTest(name = "{0}") @MethodSource("layers")
    void paddedInferenceEqualsComposed(String name, Supplier<SelfAttention> make) {
        SelfAttention a = make.get();
        Tensor x = Tensor.randn(new Rng(14), 3, 7, C);
        for (Mask m : new Mask[] {Mask.padding(7, 3, 1), Mask.NONE}) {
            float[][] got = new float[2][];
            try (var g = Tensor.noGrad()) {
                for (int capture = 0; capture < 2; capture++) {
                    a.captureWeights(capture == 1);
                    got[capture] = a.forward(x, m).toArray();
                }
            }
            for (int i = 0; i < got[0].length; i++)
                assertEquals(got[1][i], got[0][i], 1e-5 * Math.max(1, Math.abs(got[1][i])), name + ", " + m + ": element " + i);
        }
    }

    /** Without captured weights the causal forward goes through the fused op, with them through the composed softmax. */
    @ParameterizedTest(name = "{0}") @MethodSource("layers")
    void causalTrainingTakesTheFusedOp(String name, Supplier<SelfAttention> make) {
        SelfAttention a = make.get();
        Tensor x = Tensor.randn(new Rng(13), B, T, C).requiresGrad(true);
        assertTrue(opsBehind(a.forward(x, Mask.CAUSAL)).contains("fused_attention"), name);
        assertFalse(opsBehind(a.forward(x, Mask.CAUSAL)).contains("softmax"), name);
        assertFalse(opsBehind(a.forward(x, Mask.padding(T, 2))).contains("fused_attention"), name + ": padding takes the composed path");
        a.captureWeights(true);
        assertFalse(opsBehind(a.forward(x, Mask.CAUSAL)).contains("fused_attention"), name + ": captured weights take the composed path");
    }

    static java.util.Set<String> opsBehind(Tensor y) {
        java.util.Set<String> ops = new java.util.HashSet<>();
        for (Tensor t : y.topoOrder()) ops.add(t.op());
        return ops;
    }

    /** Causal attention as one op, G = 2 K/V heads for 4 query heads, d_v ≠ d_k: gradients against finite differences. */
    @org.junit.jupiter.api.Test
    void fusedOpGradientGroupedWithWiderKeys() {
        Tensor q = Tensor.randn(new Rng(14), 2, 4, 5, 6).requiresGrad(true);
        Tensor k = Tensor.randn(new Rng(15), 2, 2, 5, 6).requiresGrad(true);
        Tensor v = Tensor.randn(new Rng(16), 2, 2, 5, 3).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(t -> FusedAttention.causal(t[0], t[1], t[2], 0.4f), q, k, v);
        assertTrue(r.ok(), r.toString());
        // and the same numbers as the composed function
        float[] fused = FusedAttention.causal(q, k, v, 0.4f).toArray();
        float[] composed = ScaledDotProductAttention.attendComposed(q, k, v, Mask.CAUSAL, 0.4f, null).toArray();
        assertArrayEquals(composed, fused, 1e-5f);
        assertEquals("fused_attention", ScaledDotProductAttention.attend(q, k, v, Mask.CAUSAL).op(), "attend takes the fused op when it can");
        assertFalse(opsBehind(ScaledDotProductAttention.attendComposed(q, k, v, Mask.CAUSAL, 0.4f, null)).contains("fused_attention"));
    }

    /** An op refuses an input whose graph was released (here the fused attention op, written outside the tensor package). */
    @org.junit.jupiter.api.Test
    void fusedOpRefusesAReleasedInput() {
        Tensor w = Tensor.randn(new Rng(17), 6, 6).requiresGrad(true);
        Tensor q = Tensor.randn(new Rng(18), 1, 2, 6, 6).matmul(w);
        Tensor loss = q.sum();
        loss.backward();
        loss.releaseGraph();
        var e = assertThrows(IllegalStateException.class, () -> FusedAttention.causal(q, q, q, 1f));
        assertTrue(e.getMessage().contains("released by releaseGraph()"), e.getMessage());
    }

    /**
     * The projection-layout entry: q, k, v as column slices of one packed (B, T, (H + 2G)·d) tensor (strided rows), H = 4,
     * G = 2: gradients against finite differences, and the same numbers as the (B, H, T, d) entry on split heads.
     */
    @org.junit.jupiter.api.Test
    void fusedHeadsOnPackedColumnSlices() {
        int b = 2, t = 5, h = 4, g = 2, d = 3;
        Tensor qkv = Tensor.randn(new Rng(19), b, t, (h + 2 * g) * d).requiresGrad(true);
        java.util.function.Function<Tensor[], Tensor> f = x -> FusedAttention.causalHeads(x[0].slice(2, 0, h * d),
                x[0].slice(2, h * d, (h + g) * d), x[0].slice(2, (h + g) * d, (h + 2 * g) * d), h, g, 0.5f);
        GradCheck.Report r = GradCheck.check(f, qkv);
        assertTrue(r.ok(), r.toString());
        Tensor q = Heads.split(qkv.slice(2, 0, h * d), h), k = Heads.split(qkv.slice(2, h * d, (h + g) * d), g);
        Tensor v = Heads.split(qkv.slice(2, (h + g) * d, (h + 2 * g) * d), g);
        assertArrayEquals(Heads.merge(FusedAttention.causal(q, k, v, 0.5f)).toArray(), f.apply(new Tensor[] {qkv}).toArray(), 1e-6f);
        // the packed entry: the same numbers, gradients checked too
        java.util.function.Function<Tensor[], Tensor> packed = x -> FusedAttention.causalPacked(x[0], h, g, 0.5f);
        assertArrayEquals(f.apply(new Tensor[] {qkv}).toArray(), packed.apply(new Tensor[] {qkv}).toArray(), 0f);
        r = GradCheck.check(packed, qkv);
        assertTrue(r.ok(), r.toString());
        var e = assertThrows(IllegalArgumentException.class, () -> FusedAttention.causalHeads(qkv, qkv, qkv, 3, 2, 1f));
        assertTrue(e.getMessage().contains("G dividing H"), e.getMessage());
    }
}
