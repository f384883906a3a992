package llmbook.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import llmbook.kernels.Kernels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link LinAlg#linearOfGelu} and {@link LinAlg#geluMlp}: one op each, with the bits of the ops they replace, forward and backward. */
class LinearOfGeluTest {
    @AfterEach
    void restore() {
        Kernels.useVector(true);
        Kernels.setThreads(Runtime.getRuntime().availableProcessors());
    }

    /** Output and the gradients of a, w, b; {@code aHasGrad}: a second use of a has added into its gradient first. */
    private static float[][] run(boolean fused, int rows, int in, int out, boolean bias, boolean aHasGrad) {
        Rng rng = new Rng(rows * 31 + in);
        Tensor a0 = Tensor.randn(rng, rows, in).mul(1.5f).requiresGrad(true);
        Tensor w = Tensor.randn(rng, out, in).mul(0.2f).requiresGrad(true), b = bias ? Tensor.randn(rng, out).requiresGrad(true) : null;
        Tensor a = a0.mul(1f);                                        // an intermediate, as an MLP's pre-activation is
        Tensor y = fused ? LinAlg.linearOfGelu(a, w, b) : LinAlg.linear(a.gelu(), w, b);
        Tensor loss = y.mul(Tensor.randn(new Rng(3), rows, out)).sum();
        if (aHasGrad) loss = loss.add(a.tanh().sum());              // tanh's backward runs first (it was recorded last)
        loss.backward();
        return new float[][] {y.toArray(), a0.grad().toArray(), w.grad().toArray(), bias ? b.grad().toArray() : new float[0]};
    }

    /** Variant v of a shape, run unfused (false) and fused (true): outputs and gradients. */
    private interface Pair { float[][] run(boolean fused, int[] shape, int variant); }

    /** Every shape and variant at 1 and 2 threads, vector and scalar: the fused op's arrays equal the unfused ones. */
    private static void sameBits(int[][] shapes, int variants, String[] what, Pair pair) {
        for (int threads : new int[] {1, 2})
            for (boolean vector : new boolean[] {true, false})
                for (int[] s : shapes)
                    for (int v = 0; v < variants; v++) {
                        Kernels.setThreads(threads);
                        Kernels.useVector(vector);
                        String at = s[0] + "x" + s[1] + "x" + s[2] + " variant " + v + " threads=" + threads + " vector=" + vector;
                        float[][] apart = pair.run(false, s, v), one = pair.run(true, s, v);
                        for (int i = 0; i < what.length; i++) assertArrayEquals(apart[i], one[i], what[i] + " " + at);
                    }
    }

    @Test
    void sameBitsAsLinearAfterGelu() {
        // 1100 × 96 → 40 takes the kernel's parallel region (dx chunks multiplied as they finish); 300 × 100 → 24 the separate calls
        // variants: bias and a's earlier gradient (0: both, 1: bias only, 2: neither, 3: the gradient only)
        sameBits(new int[][] {{1100, 96, 40}, {300, 100, 24}, {7, 5, 3}, {1, 16, 8}}, 4, new String[] {"output", "da", "dw", "db"},
                (fused, s, v) -> run(fused, s[0], s[1], s[2], v < 2, v == 0 || v == 3));
    }

    /** Output and the gradients of x, w1, b1, w2, b2 for the MLP as one op or as linear, gelu, linear. */
    private static float[][] mlp(boolean fused, int rows, int in, int hidden, boolean bias, boolean xHasGrad, boolean freezeW1) {
        Rng rng = new Rng(rows * 17 + hidden);
        Tensor x0 = Tensor.randn(rng, rows, in).requiresGrad(true);
        Tensor w1 = Tensor.randn(rng, hidden, in).mul(0.4f).requiresGrad(!freezeW1), b1 = bias ? Tensor.randn(rng, hidden).requiresGrad(true) : null;
        Tensor w2 = Tensor.randn(rng, in, hidden).mul(0.2f).requiresGrad(true), b2 = bias ? Tensor.randn(rng, in).requiresGrad(true) : null;
        Tensor x = x0.mul(1f);
        Tensor y = fused ? LinAlg.geluMlp(x, w1, b1, w2, b2) : LinAlg.linear(LinAlg.linear(x, w1, b1).gelu(), w2, b2);
        Tensor loss = y.mul(Tensor.randn(new Rng(4), rows, in)).sum();
        if (xHasGrad) loss = loss.add(x.tanh().sum());              // tanh's backward runs first: x has a gradient to add to
        loss.backward();
        float[] none = new float[0];
        return new float[][] {y.toArray(), x0.grad().toArray(), freezeW1 ? none : w1.grad().toArray(), bias ? b1.grad().toArray() : none,
                w2.grad().toArray(), bias ? b2.grad().toArray() : none};
    }

    @Test
    void mlpAsOneOpHasTheBitsOfItsThreeOps() {
        // 1100 × 40 → 96: the first product in row chunks (GELU per chunk) and the backward's region; 300 × 24 → 100: one
        // pass of GELU and the separate calls; 7 × 5 → 3; one row: the composition itself
        // variants: 0 biases, 1 no biases, 2 x with an earlier gradient, 3 W1 frozen
        sameBits(new int[][] {{1100, 40, 96}, {300, 24, 100}, {7, 5, 3}, {1, 8, 16}}, 4, new String[] {"output", "dx", "dw1", "db1", "dw2", "db2"},
                (fused, s, v) -> mlp(fused, s[0], s[1], s[2], v != 1, v == 2, v == 3));
    }

    @Test
    void withoutAGraphItIsTheTwoOps() {
        Rng rng = new Rng(1);
        Tensor a = Tensor.randn(rng, 4, 6), w = Tensor.randn(rng, 3, 6);
        assertArrayEquals(LinAlg.linear(a.gelu(), w, null).toArray(), LinAlg.linearOfGelu(a, w, null).toArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinAlg.linearOfGelu(a.requiresGrad(true), Tensor.randn(rng, 3, 5), null));
        assertTrue(e.getMessage().contains("(4, 6)") && e.getMessage().contains("(3, 5)"), e.getMessage());
    }
}
