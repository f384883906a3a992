package llmbook.exercises.ch04;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import llmbook.attention.AttentionConfig;
import llmbook.attention.GroupedQueryAttention;
import llmbook.attention.Mask;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import llmbook.nn.Linear;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch04.multi_head", title = "Assemble multi-head causal self-attention (checked against the library)")
class MultiHeadSelfAttentionTest {
    static double[][] mat(Linear l) {
        double[][] m = new double[l.out][l.in];
        for (int o = 0; o < l.out; o++) for (int i = 0; i < l.in; i++) m[o][i] = l.weight.data()[o * l.in + i];
        return m;
    }

    static double[] vec(Linear l) {
        double[] b = new double[l.out];
        for (int o = 0; o < l.out; o++) b[o] = l.bias.data()[o];
        return b;
    }

    /** The library layer with random weights AND biases, the input, and both outputs compared row by row. */
    static void compare(int t, int c, int heads, long seed) {
        GroupedQueryAttention attn = new GroupedQueryAttention(new AttentionConfig(c, heads, heads, true, false), new Rng(seed));
        Rng rng = new Rng(seed + 1);
        for (String n : new String[] {"q", "k", "v", "o"}) {
            Linear l = (Linear) attn.children().get(n);
            float[] b = l.bias.data();
            for (int i = 0; i < b.length; i++) b[i] = (float) (0.3 * rng.nextGaussian());
        }
        Random r = new Random(seed);
        float[] xf = new float[t * c];
        double[][] x = new double[t][c];
        for (int i = 0; i < t; i++) for (int j = 0; j < c; j++) { x[i][j] = r.nextGaussian(); xf[i * c + j] = (float) x[i][j]; }
        float[] want = attn.forward(Tensor.wrap(xf, 1, t, c), Mask.CAUSAL).contiguous().data();
        Linear q = (Linear) attn.children().get("q"), k = (Linear) attn.children().get("k"), v = (Linear) attn.children().get("v"), o = (Linear) attn.children().get("o");
        double[][] got = MultiHeadSelfAttention.forward(x, heads, mat(q), vec(q), mat(k), vec(k), mat(v), vec(v), mat(o), vec(o));
        assertEquals(t, got.length, "rows");
        for (int i = 0; i < t; i++)
            for (int j = 0; j < c; j++)
                assertEquals(want[i * c + j], got[i][j], 2e-4, "T=" + t + " C=" + c + " H=" + heads + ": output[" + i + "][" + j + "]");
    }

    @Test
    @Points(value = 1, hint = "one token attends only to itself: the output is Wo·(Wv·x + bv) + bo")
    void oneTokenIsItsValueProjected() {
        double[][] x = {{1, 2}};
        double[][] id = {{1, 0}, {0, 1}}, wv = {{2, 0}, {0, 3}};
        double[] zero = {0, 0}, bv = {1, 1};
        double[][] out = MultiHeadSelfAttention.forward(x, 2, id, zero, id, zero, wv, bv, id, new double[] {0, 10});
        assertArrayEquals(new double[] {3, 17}, out[0], 1e-9);
    }

    @Test
    @Points(value = 2, hint = "one head (H = 1): project, causal attention scaled by 1/√C, output projection")
    void oneHeadMatchesTheLibrary() {
        compare(5, 8, 1, 3);
    }

    @Test
    @Points(value = 3, hint = "H heads: head h uses features h·C/H … (h+1)·C/H − 1 of q, k and v, scaled by 1/√(C/H); concatenate in head order")
    void manyHeadsMatchTheLibrary() {
        compare(7, 16, 4, 5);
        compare(3, 12, 3, 6);
        compare(9, 8, 2, 7);
    }
}
