package llmbook.exercises.ch05;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Random;
import llmbook.attention.Mask;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import llmbook.model.transformer.Block;
import llmbook.model.transformer.TransformerConfig;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch05.transformer_block", title = "Assemble a pre-norm GPT block (checked against the library)")
class TransformerBlockTest {
    /** A library block of the reference GPT's kind with every parameter random (LayerNorm scales and shifts included). */
    static Block block(int heads, int c, long seed) {
        TransformerConfig cfg = TransformerConfig.gpt2(16).withShape(heads, c, 4 * c);
        Block b = new Block(cfg, false, new Rng(seed));
        b.eval();
        Random r = new Random(seed);
        for (var e : b.namedParameters().entrySet()) {
            float[] d = e.getValue().data();
            boolean scale = e.getKey().startsWith("ln_") && e.getKey().endsWith("weight");
            double std = e.getKey().endsWith("weight") && !scale ? 1 / Math.sqrt(e.getValue().shape()[1]) : 0.3;
            for (int i = 0; i < d.length; i++) d[i] = (float) ((scale ? 1 : 0) + std * r.nextGaussian());
        }
        return b;
    }

    static void compare(int t, int c, int heads, long seed, double xScale) {
        Block b = block(heads, c, seed);
        Random r = new Random(seed + 100);
        double[][] x = new double[t][c];
        float[] xf = new float[t * c];
        for (int i = 0; i < t; i++) for (int j = 0; j < c; j++) { x[i][j] = xScale * r.nextGaussian(); xf[i * c + j] = (float) x[i][j]; }
        float[] want = b.forward(Tensor.wrap(xf, 1, t, c), Mask.CAUSAL).contiguous().data();
        Map<String, Tensor> params = b.namedParameters();
        double[][] got = TransformerBlock.forward(x, heads, params);
        assertEquals(t, got.length, "rows");
        for (int i = 0; i < t; i++)
            for (int j = 0; j < c; j++)
                assertEquals(want[i * c + j], got[i][j], 2e-3 * Math.max(1, Math.abs(want[i * c + j])),
                        "T=" + t + " C=" + c + " H=" + heads + ": output[" + i + "][" + j + "]");
    }

    @Test
    @Points(value = 1, hint = "with all weights zero the sub-layers output zero and the residual stream passes through")
    void zeroWeightsPassTheStreamThrough() {
        Block b = block(2, 8, 1);
        for (Tensor p : b.parameters()) java.util.Arrays.fill(p.data(), 0f);
        double[][] x = new double[3][8];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 8; j++) x[i][j] = i - j * 0.5;
        double[][] y = TransformerBlock.forward(x, 2, b.namedParameters());
        for (int i = 0; i < 3; i++) assertArrayEquals(x[i], y[i], 1e-12, "row " + i);
    }

    @Test
    @Points(value = 2, hint = "one token, one head: x + attn(ln_1(x)) then + mlp(ln_2(·)); LayerNorm ε = 1e-5 with its scale and shift")
    void oneTokenMatchesTheLibrary() {
        compare(1, 8, 1, 2, 1);
    }

    @Test
    @Points(value = 3, hint = "hidden sequences: causal attention in every head, GELU in its tanh form, both residual adds")
    void sequencesMatchTheLibrary() {
        compare(6, 16, 4, 3, 1);
        compare(4, 12, 2, 4, 3);
        compare(9, 8, 1, 5, 0.5);
    }
}
