package llmbook.exercises.ch06;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import llmbook.optim.AdamW;
import llmbook.optim.ParamGroup;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch06.adamw", title = "The AdamW update")
class AdamWStepTest {
    @Test
    @Points(value = 1, hint = "m = 0.05, v = 0.00025 after one step; m̂ = m/(1−β1ᵗ) = 0.5, v̂ = 0.25, so p moves by lr·1 = 0.1")
    void workedExample() {
        float[] p = {1f}, m = {0f}, v = {0f};
        AdamWStep.step(p, new float[] {0.5f}, m, v, 1, 0.1f, 0.9f, 0.999f, 1e-8f, 0f);
        assertEquals(0.05f, m[0], 1e-7f, "m ← β1·m + (1−β1)·g");
        assertEquals(0.00025f, v[0], 1e-8f, "v ← β2·v + (1−β2)·g²");
        assertEquals(0.9f, p[0], 1e-6f, "p ← p − lr·m̂/(√v̂+ε)");
        float[] q = {1f};
        AdamWStep.step(q, new float[] {0.5f}, new float[1], new float[1], 1, 0.1f, 0.9f, 0.999f, 1e-8f, 0.1f);
        assertEquals(0.89f, q[0], 1e-6f, "weight decay adds lr·wd·p = 0.01 to the step");
    }

    @Test
    @Points(value = 1, hint = "without bias correction the first steps are tiny: divide m by 1−β1ᵗ and v by 1−β2ᵗ")
    void biasCorrectionMakesTheFirstStepLrSized() {
        // on the first step m̂/√v̂ = g/|g| = ±1 whatever the gradient's size: every parameter moves by about lr
        float[] p = {0f, 0f, 0f}, g = {1e-3f, -50f, 2f};
        AdamWStep.step(p, g, new float[3], new float[3], 1, 0.01f, 0.9f, 0.99f, 1e-12f, 0f);
        assertEquals(-0.01f, p[0], 1e-6f);
        assertEquals(0.01f, p[1], 1e-6f);
        assertEquals(-0.01f, p[2], 1e-6f);
    }

    @Test
    @Points(value = 2, hint = "run the formula for every element, keep m and v between calls, and use the step count t you are given")
    void matchesTheLibraryAdamWOverManySteps() {
        Random r = new Random(6);
        int n = 37;
        float[] init = new float[n];
        for (int i = 0; i < n; i++) init[i] = (float) r.nextGaussian();
        Tensor lib = Tensor.wrap(init.clone(), n).requiresGrad(true);
        AdamW opt = new AdamW(List.of(new ParamGroup(List.of(lib), 0.05f)), 3e-2f, 0.9f, 0.95f, 1e-8f);
        float[] p = init.clone(), m = new float[n], v = new float[n];
        for (int t = 1; t <= 10; t++) {
            float[] g = new float[n];
            for (int i = 0; i < n; i++) g[i] = (float) r.nextGaussian() + 0.3f * p[i];
            lib.zeroGrad();
            lib.backward(g);
            opt.step();
            AdamWStep.step(p, g, m, v, t, 3e-2f, 0.9f, 0.95f, 1e-8f, 0.05f);
            for (int i = 0; i < n; i++) assertEquals(lib.data()[i], p[i], 1e-5f, "step " + t + ", parameter " + i);
        }
    }

    @Test
    @Points(value = 1, hint = "decoupled: wd·p goes into the update, not into g (so m and v never see it); wd = 0 is plain Adam")
    void decayIsDecoupledAndZeroDecayIsAdam() {
        Random r = new Random(2);
        int n = 8;
        float[] p = new float[n], pd = new float[n], m = new float[n], v = new float[n], md = new float[n], vd = new float[n];
        double[] ap = new double[n], am = new double[n], av = new double[n];
        for (int i = 0; i < n; i++) ap[i] = p[i] = pd[i] = (float) r.nextGaussian();
        for (int t = 1; t <= 5; t++) {
            float[] g = new float[n];
            for (int i = 0; i < n; i++) g[i] = (float) r.nextGaussian();
            AdamWStep.step(p, g, m, v, t, 1e-2f, 0.9f, 0.999f, 1e-8f, 0f);
            AdamWStep.step(pd, g, md, vd, t, 1e-2f, 0.9f, 0.999f, 1e-8f, 0.5f);
            for (int i = 0; i < n; i++) {                                // Adam by hand, in double
                am[i] = 0.9 * am[i] + 0.1 * g[i];
                av[i] = 0.999 * av[i] + 0.001 * g[i] * g[i];
                ap[i] -= 1e-2 * (am[i] / (1 - Math.pow(0.9, t))) / (Math.sqrt(av[i] / (1 - Math.pow(0.999, t))) + 1e-8);
                assertEquals(ap[i], p[i], 1e-5, "wd = 0 is Adam: step " + t + ", parameter " + i);
                assertEquals(m[i], md[i], 1e-7f, "the decay must not enter the first moment");
                assertEquals(v[i], vd[i], 1e-7f, "the decay must not enter the second moment");
            }
        }
    }
}
