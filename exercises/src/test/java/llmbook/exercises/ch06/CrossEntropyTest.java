package llmbook.exercises.ch06;

import static org.junit.jupiter.api.Assertions.assertEquals;

import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch06.cross_entropy", title = "Cross-entropy from logits")
class CrossEntropyTest {
    @Test
    @Points(value = 1, hint = "uniform logits: every token has probability 1/V, so the loss is ln V")
    void uniformIsLnV() {
        assertEquals(Math.log(65), CrossEntropy.mean(new float[65 * 2], new int[] {3, 40}, 65), 1e-9);
    }

    @Test
    @Points(value = 2, hint = "loss = logsumexp(z) − z[target]; subtract the max so exp(1000) does not overflow")
    void workedExampleAndLargeLogits() {
        float[] z = {1, 2, 3};
        double expected = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 1;
        assertEquals(expected, CrossEntropy.mean(z, new int[] {0}, 3), 1e-6);
        assertEquals(expected, CrossEntropy.mean(new float[] {1001, 1002, 1003}, new int[] {0}, 3), 1e-4);
    }
}
