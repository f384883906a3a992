package llmbook.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import llmbook.autograd.GradCheck;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Cross-attention: queries from x, keys/values from a memory of another length; gradients reach both and every weight. */
class CrossAttentionTest {
    @Test void shapesAndWeights() {
        var ca = new CrossAttention(8, 2, new Rng(1));
        Tensor y = ca.forward(Tensor.randn(new Rng(2), 2, 3, 8), Tensor.randn(new Rng(3), 2, 5, 8), Mask.padding(5, 4));
        assertArrayEquals(new int[] {2, 3, 8}, y.shape());
        assertArrayEquals(new int[] {2, 2, 3, 5}, ca.lastWeights().shape());
        for (int i = 0; i < 3; i++) assertEquals(0f, ca.lastWeights().get(1, 1, i, 4));
    }

    /** Each query row depends only on its own x row and the whole memory. */
    @Test void queriesAreIndependent() {
        var ca = new CrossAttention(8, 2, new Rng(1));
        Tensor x = Tensor.randn(new Rng(2), 1, 3, 8), m = Tensor.randn(new Rng(3), 1, 5, 8);
        float[] before = ca.forward(x, m, Mask.NONE).toArray();
        x.set(5f, 0, 2, 0);
        float[] after = ca.forward(x, m, Mask.NONE).toArray();
        assertArrayEquals(java.util.Arrays.copyOf(before, 16), java.util.Arrays.copyOf(after, 16), 0f);
    }

    @Test void gradients() {
        var ca = new CrossAttention(4, 2, new Rng(4));
        List<Tensor> in = new ArrayList<>(List.of(Tensor.randn(new Rng(5), 2, 3, 4).requiresGrad(true), Tensor.randn(new Rng(6), 2, 4, 4).requiresGrad(true)));
        in.addAll(ca.parameters());
        GradCheck.Report r = GradCheck.check(t -> ca.forward(t[0], t[1], Mask.padding(4, 2)), in.toArray(new Tensor[0]));
        assertTrue(r.ok(), r.toString());
    }

    @Test void errors() {
        var ca = new CrossAttention(8, 2, new Rng(1));
        var e = assertThrows(IllegalArgumentException.class, () -> ca.forward(Tensor.zeros(2, 3, 8), Tensor.zeros(1, 5, 8), Mask.NONE));
        assertTrue(e.getMessage().contains("CrossAttention.forward") && e.getMessage().contains("(2, 3, 8)") && e.getMessage().contains("(1, 5, 8)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ca.forward(Tensor.zeros(1, 3, 8), Tensor.zeros(1, 5, 8), Mask.CAUSAL));
    }
}
