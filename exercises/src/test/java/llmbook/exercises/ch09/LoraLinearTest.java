package llmbook.exercises.ch09;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch09.lora_linear", title = "A LoRA linear layer, forward and backward")
class LoraLinearTest {
    static float[] rand(Random r, int n) { float[] v = new float[n]; for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian(); return v; }

    @Test
    @Points(value = 1, hint = "with B = 0 the low-rank branch must add nothing: the output is the base layer's")
    void zeroBIsTheBaseLayer() {
        float[] x = {1, 2}, w = {1, 0, 0, 1, 1, 1};                // in 2, out 3
        float[] y = LoraLinear.forward(x, 1, w, new float[] {5, 7}, new float[3], 2, 3, 1, 8f);
        assertArrayEquals(new float[] {1, 2, 3}, y, 1e-6f);
    }

    @Test
    @Points(value = 1, hint = "the Javadoc's worked example: the branch goes in through A, out through B, scaled by α/r, added to the base")
    void workedExample() {
        // x = (1, 2), W = 0, A = (1, 1) (r = 1), B = (1, −1)ᵀ, α = 2: h = 3, y = 2·3·(1, −1) = (6, −6)
        float[] y = LoraLinear.forward(new float[] {1, 2}, 1, new float[4], new float[] {1, 1}, new float[] {1, -1}, 2, 2, 1, 2f);
        assertArrayEquals(new float[] {6, -6}, y, 1e-6f);
    }

    @Test
    @Points(value = 3, hint = "compare each entry with (L(p + ε) − L(p − ε)) / 2ε of your own forward; x reaches y by two paths (W and the branch), and the α/r scale applies to dA and dB too")
    void backwardMatchesFiniteDifferences() {
        Random rng = new Random(9);
        int rows = 3, in = 5, out = 4, r = 2;
        float alpha = 4f;
        float[] x = rand(rng, rows * in), w = rand(rng, out * in), a = rand(rng, r * in), b = rand(rng, out * r), dy = rand(rng, rows * out);
        float[][] g = LoraLinear.backward(x, dy, rows, w, a, b, in, out, r, alpha);
        float[][] params = {x, a, b};
        String[] names = {"dx", "dA", "dB"};
        for (int p = 0; p < 3; p++) {
            assertEquals(params[p].length, g[p].length, names[p] + " has the wrong length");
            for (int i = 0; i < params[p].length; i++) {
                float keep = params[p][i];
                params[p][i] = keep + 1e-2f;
                double lp = dot(LoraLinear.forward(x, rows, w, a, b, in, out, r, alpha), dy);
                params[p][i] = keep - 1e-2f;
                double lm = dot(LoraLinear.forward(x, rows, w, a, b, in, out, r, alpha), dy);
                params[p][i] = keep;
                double num = (lp - lm) / 2e-2;
                assertEquals(num, g[p][i], 2e-2 * Math.max(1, Math.abs(num)), names[p] + "[" + i + "]");
            }
        }
    }

    static double dot(float[] y, float[] dy) { double s = 0; for (int i = 0; i < y.length; i++) s += (double) y[i] * dy[i]; return s; }
}
