package llmbook.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ModuleTest {

    @Test void namedParametersAndCounts() {
        MLP mlp = new MLP(new Rng(1), Activation.Kind.GELU, 4, 8, 2);
        assertEquals(List.of("fc0.weight", "fc0.bias", "fc1.weight", "fc1.bias"), List.copyOf(mlp.namedParameters().keySet()));
        assertEquals(4 * 8 + 8 + 8 * 2 + 2, mlp.numParameters());
        assertArrayEquals(new int[] {8, 4}, mlp.namedParameters().get("fc0.weight").shape());
        assertTrue(mlp.parameters().stream().allMatch(Tensor::requiresGrad));
        Sequential seq = new Sequential(new Linear(3, 5, false, new Rng(2)), new LayerNorm(5), new Activation(Activation.Kind.SILU), new RMSNorm(5));
        assertEquals(List.of("0.weight", "1.weight", "1.bias", "3.weight"), List.copyOf(seq.namedParameters().keySet()));
        assertArrayEquals(new int[] {2, 7, 5}, seq.forward(Tensor.randn(new Rng(3), 2, 7, 3)).shape());
    }

    @Test void initIsReproducibleFromTheSeed() {
        assertArrayEquals(new Linear(5, 3, new Rng(9)).weight.toArray(), new Linear(5, 3, new Rng(9)).weight.toArray());
        float bound = (float) (1 / Math.sqrt(5));
        for (float w : new Linear(5, 300, new Rng(9)).weight.toArray()) assertTrue(Math.abs(w) <= bound);
    }

    @Test void trainEvalSwitchesDropoutRecursively() {
        Dropout d = new Dropout(0.5f, new Rng(4));
        Sequential s = new Sequential(new Linear(2, 2, new Rng(1)), d);
        s.eval();
        assertFalse(d.isTraining());
        Tensor x = Tensor.ones(10, 2);
        assertArrayEquals(s.forward(x).toArray(), s.forward(x).toArray(), "eval: deterministic");
        s.train();
        assertTrue(d.isTraining());
    }

    @Test void embeddingTouchesOnlyItsRows() {
        Embedding e = new Embedding(6, 3, new Rng(0));
        Tensor out = e.forward(new int[] {4, 1, 4}, 1, 3);
        assertArrayEquals(new int[] {1, 3, 3}, out.shape());
        out.sum().backward();
        assertArrayEquals(new int[] {1, 4}, e.touchedRows());
        float[] g = e.weight.grad().toArray();
        for (int r = 0; r < 6; r++)
            for (int c = 0; c < 3; c++)
                assertEquals(r == 4 ? 2f : r == 1 ? 1f : 0f, g[r * 3 + c], "row " + r);
    }
}
