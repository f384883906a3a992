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
        out.add(Arguments.of("MLA", (Supplier<SelfAttention>) () -> new MultiHeadLatentAttention(C, H, 4, 2, new Rng(6))));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}") @MethodSource("layers")
    void shapeAndWeights(String name, Supplier<SelfAttention> make) {
        SelfAttention a = make.get();
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
}
