package llmbook.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import llmbook.nn.Linear;
import llmbook.nn.LayerNorm;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

class OptimTest {

    @Test void sgdHandWorked() {
        Tensor p = Tensor.of(new float[] {1f, 2f}).requiresGrad(true);
        SGD opt = new SGD(List.of(p), 0.1f, 0.5f);
        p.mul(p).sum().backward();               // g = 2p = (2, 4)
        opt.step();                              // v = g, p = (0.8, 1.6)
        assertArrayEquals(new float[] {0.8f, 1.6f}, p.toArray(), 1e-6f);
        opt.step();                              // same g (not zeroed): v = 0.5·g + g = (3, 6), p = (0.5, 1.0)
        assertArrayEquals(new float[] {0.5f, 1.0f}, p.toArray(), 1e-6f);
    }

    @Test void adamwFirstStepIsLrTimesSignAndDecayFollowsGroups() {
        // first step: m̂ = g, v̂ = g², so the update is lr·g/|g| = lr·sign(g), plus lr·wd·p on decayed params
        Linear lin = new Linear(2, 2, new Rng(0));
        LayerNorm ln = new LayerNorm(2);
        Map<String, Tensor> named = new java.util.LinkedHashMap<>(lin.namedParameters());
        named.put("ln.weight", ln.weight);
        List<ParamGroup> groups = ParamGroup.decayMatricesOnly(named, 0.5f);
        assertEquals(List.of(lin.weight), groups.get(0).params());
        assertEquals(List.of(lin.bias, ln.weight), groups.get(1).params());
        float[] w0 = lin.weight.toArray(), b0 = lin.bias.toArray();
        for (Tensor t : named.values()) { t.gradBuffer()[0] = 3f; t.gradBuffer()[1] = -2f; }
        new AdamW(groups, 0.1f).step();
        float[] w = lin.weight.toArray(), b = lin.bias.toArray(), g = ln.weight.toArray();
        assertEquals(w0[0] - 0.1f * (1f + 0.5f * w0[0]), w[0], 1e-6f);
        assertEquals(b0[0] - 0.1f, b[0], 1e-6f);         // bias: no decay
        assertEquals(b0[1] + 0.1f, b[1], 1e-6f);
        assertArrayEquals(new float[] {0.9f, 1.1f}, g, 1e-6f); // norm gain: no decay
    }

    @Test void clipByGlobalNorm() {
        Tensor a = Tensor.zeros(2).requiresGrad(true), b = Tensor.zeros(1).requiresGrad(true);
        a.gradBuffer()[0] = 3f; a.gradBuffer()[1] = 0f; b.gradBuffer()[0] = 4f;   // global norm 5
        assertEquals(5.0, GradClip.clipGlobalNorm(List.of(a, b), 1.0), 1e-9);
        assertArrayEquals(new float[] {0.6f, 0f}, a.grad().toArray(), 1e-5f);
        assertArrayEquals(new float[] {0.8f}, b.grad().toArray(), 1e-5f);
        assertEquals(1.0, GradClip.clipGlobalNorm(List.of(a, b), 10.0), 1e-5, "below the limit: unchanged");
    }
}
