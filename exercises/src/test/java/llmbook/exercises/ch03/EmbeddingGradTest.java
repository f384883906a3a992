package llmbook.exercises.ch03;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import llmbook.nn.Embedding;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch03.embedding_grad", title = "The embedding table's gradient")
class EmbeddingGradTest {
    @Test
    @Points(value = 1, hint = "a repeated token gets the SUM of its rows' gradients; absent tokens get zero")
    void workedExample() {
        double[][] g = EmbeddingGrad.backward(new int[] {2, 0, 2}, new double[][] {{1}, {10}, {100}}, 4);
        assertEquals(4, g.length, "one gradient row per vocabulary entry");
        assertArrayEquals(new double[] {10}, g[0], 0);
        assertArrayEquals(new double[] {0}, g[1], 0);
        assertArrayEquals(new double[] {101}, g[2], 0, "token 2 occurs twice: its gradients add");
        assertArrayEquals(new double[] {0}, g[3], 0);
    }

    @Test
    @Points(value = 2, hint = "hidden batch: must equal the library's Embedding backward (autograd) for the same ids")
    void agreesWithTheLibrary() {
        Random r = new Random(35);
        int v = 11, c = 3, n = 20;
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = r.nextInt(6);          // tokens 6..10 never occur
        double[][] dOut = new double[n][c];
        float[] seed = new float[n * c];
        for (int i = 0; i < n; i++) for (int j = 0; j < c; j++) { dOut[i][j] = r.nextGaussian(); seed[i * c + j] = (float) dOut[i][j]; }
        Embedding emb = new Embedding(v, c, new Rng(1));
        Tensor out = emb.forward(ids, 1, n);
        out.backward(seed);
        float[] want = emb.weight.grad().data();
        double[][] got = EmbeddingGrad.backward(ids, dOut, v);
        for (int t = 0; t < v; t++)
            for (int j = 0; j < c; j++) assertEquals(want[t * c + j], got[t][j], 1e-5, "row " + t + ", column " + j);
    }

    @Test
    @Points(value = 2, hint = "untied: only the distinct tokens of the batch; tied to the output layer, the softmax touches every row")
    void rowsTouched() {
        assertEquals(2, EmbeddingGrad.rowsWithGradient(new int[] {2, 0, 2}, 4, false));
        assertEquals(4, EmbeddingGrad.rowsWithGradient(new int[] {2, 0, 2}, 4, true));
        assertEquals(3, EmbeddingGrad.rowsWithGradient(new int[] {7, 7, 7, 1, 1, 9}, 50_257, false));
        assertEquals(50_257, EmbeddingGrad.rowsWithGradient(new int[] {7, 7, 7, 1, 1, 9}, 50_257, true));
    }
}
