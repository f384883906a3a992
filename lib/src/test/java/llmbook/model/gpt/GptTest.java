package llmbook.model.gpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import llmbook.autograd.GradCheck;
import llmbook.optim.AdamW;
import llmbook.optim.ParamGroup;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

class GptTest {
    /** Attention composed from primitives: the reference the fused op must equal. */
    static Tensor composedAttention(Tensor qkv, int H) {
        int[] s = qkv.shape();
        int B = s[0], T = s[1], C = s[2] / 3, d = C / H;
        Tensor q = qkv.slice(2, 0, C).contiguous().reshape(B, T, H, d).transpose(1, 2);          // (B, H, T, d)
        Tensor k = qkv.slice(2, C, 2 * C).contiguous().reshape(B, T, H, d).transpose(1, 2);
        Tensor v = qkv.slice(2, 2 * C, 3 * C).contiguous().reshape(B, T, H, d).transpose(1, 2);
        Tensor scores = q.matmul(k.t()).mul((float) (1 / Math.sqrt(d)));                          // (B, H, T, T)
        Tensor att = scores.maskedFill(Tensor.triu1(T), Float.NEGATIVE_INFINITY).softmax();
        return att.matmul(v).transpose(1, 2).contiguous().reshape(B, T, C);                       // (B, T, C)
    }

    @Test
    void fusedAttentionEqualsTheComposedOneForwardAndBackward() {
        Rng rng = new Rng(7);
        int B = 2, T = 9, H = 3, d = 5, C = H * d;
        Tensor a = Tensor.randn(rng, B, T, 3 * C).requiresGrad(true);
        Tensor b = Tensor.wrap(a.toArray().clone(), B, T, 3 * C).requiresGrad(true);
        Tensor fused = CausalAttention.apply(a, H), ref = composedAttention(b, H);
        float[] f = fused.toArray(), r = ref.toArray();
        for (int i = 0; i < f.length; i++) assertEquals(r[i], f[i], 1e-5f, "forward at " + i);
        float[] seed = Tensor.randn(rng, B, T, C).toArray();
        fused.backward(seed);
        ref.backward(seed);
        float[] ga = a.grad().toArray(), gb = b.grad().toArray();
        for (int i = 0; i < ga.length; i++) assertEquals(gb[i], ga[i], 1e-4f, "gradient at " + i);
    }

    @Test
    void fusedAttentionPassesTheFiniteDifferenceCheck() {
        Tensor x = Tensor.randn(new Rng(3), 1, 6, 3 * 8).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(xs -> CausalAttention.apply(xs[0], 2), x);
        assertTrue(r.ok(), r.toString());
    }

    @Test
    void parameterFormulaMatchesTheCountedTensors() {
        for (GptConfig c : List.of(GptConfig.reference(65), new GptConfig(50, 16, 2, 2, 24, 0.1f), new GptConfig(7, 4, 1, 1, 8, 0f)))
            assertEquals(c.parameterCount(), new Gpt(c, new Rng(1)).numParameters(), c.toString());
        assertEquals(65 * 128 + 128 * 128 + 4 * (12 * 128 * 128 + 13 * 128) + 2 * 128, GptConfig.reference(65).parameterCount());
    }

    @Test
    void theFutureCannotLeakIntoThePast() {
        Gpt gpt = new Gpt(new GptConfig(11, 8, 2, 2, 16, 0f), new Rng(5));
        int[] ids = {1, 2, 3, 4, 5, 6, 7, 8};
        float[] before, after;
        try (var g = Tensor.noGrad()) {
            before = gpt.forward(ids, 1, 8).toArray();
            ids[5] = 9;                                   // change token 5
            after = gpt.forward(ids, 1, 8).toArray();
        }
        int V = 11;
        for (int i = 0; i < 5 * V; i++) assertEquals(before[i], after[i], 0f, "position " + i / V + " saw the future");
        boolean moved = false;
        for (int i = 5 * V; i < 8 * V; i++) moved |= before[i] != after[i];
        assertTrue(moved, "positions >= 5 must see the change");
    }

    @Test
    void untrainedLossIsNearLnVAndTrainingLowersIt() {
        int V = 13, T = 16, B = 4;
        Gpt gpt = new Gpt(new GptConfig(V, T, 2, 2, 32, 0f), new Rng(11));
        int[] ids = new int[B * T], tg = new int[B * T];
        Rng rng = new Rng(2);
        for (int b = 0; b < B; b++) {
            int start = (int) (rng.uniform(0f, 1f) * V);
            for (int t = 0; t < T; t++) { ids[b * T + t] = (start + t) % V; tg[b * T + t] = (start + t + 1) % V; }   // count mod V
        }
        float first = gpt.loss(ids, tg, B, T).item();
        assertEquals(Math.log(V), first, 0.1, "an untrained model is close to uniform: ln V");
        AdamW opt = new AdamW(ParamGroup.decayMatricesOnly(gpt.namedParameters(), 0.1f), 3e-3f);
        float last = first;
        for (int step = 0; step < 60; step++) {
            gpt.zeroGrad();
            Tensor loss = gpt.loss(ids, tg, B, T);
            loss.backward();
            opt.step();
            last = loss.item();
        }
        assertTrue(last < 0.3 * first, "counting mod V is easy: loss should fall from " + first + ", got " + last);
    }

    @Test
    void badInputNamesTheNumbers() {
        Gpt gpt = new Gpt(new GptConfig(5, 4, 1, 1, 8, 0f), new Rng(1));
        var e = assertThrows(IllegalArgumentException.class, () -> gpt.forward(new int[6], 1, 6));
        assertTrue(e.getMessage().contains("length 6") && e.getMessage().contains("only 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> gpt.forward(new int[] {0, 9}, 1, 2));
        assertTrue(e.getMessage().contains("token id 9"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GptConfig(5, 4, 1, 3, 8, 0f));
        assertArrayEquals(new int[] {1, 4, 5}, gpt.forward(new int[4], 1, 4).shape());
    }
}
