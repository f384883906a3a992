package llmbook.exercises.ch00;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch00.first_steps", title = "First steps: mean, argmax, dot")
class FirstStepsTest {

    @Test
    @Points(value = 1, hint = "add the elements, then divide by the length")
    void meanOfAHandWorkedCase() {
        assertEquals(2.5f, FirstSteps.mean(new float[] {1, 2, 3, 4}), 1e-6f);
    }

    @Test
    @Points(value = 1, hint = "an empty array has no mean: throw IllegalArgumentException")
    void meanRefusesAnEmptyArray() {
        assertThrows(IllegalArgumentException.class, () -> FirstSteps.mean(new float[0]));
    }

    @Test
    @Points(value = 1, hint = "keep the index of the best value seen so far; replace it only on a strictly larger value")
    void argmaxFindsTheFirstLargest() {
        assertEquals(1, FirstSteps.argmax(new float[] {0.5f, 3f, -1f, 3f}));
        assertEquals(0, FirstSteps.argmax(new float[] {-2f}));
        assertEquals(2, FirstSteps.argmax(new float[] {-5f, -4f, -1f}), "all negative: the start value must not be 0");
    }

    @Test
    @Points(value = 1, hint = "multiply a[i] by b[i] and add them all up")
    void dotOfAHandWorkedCase() {
        assertEquals(32f, FirstSteps.dot(new float[] {1, 2, 3}, new float[] {4, 5, 6}), 1e-6f);
    }

    @Test
    @Points(value = 1, hint = "compare with a double-precision sum; check the lengths first")
    void dotAgreesWithAReferenceAndChecksLengths() {
        Random r = new Random(42);
        float[] a = new float[1031], b = new float[1031];
        double ref = 0;
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
            b[i] = (float) r.nextGaussian();
            ref += (double) a[i] * b[i];
        }
        assertEquals(ref, FirstSteps.dot(a, b), 1e-3);
        assertThrows(IllegalArgumentException.class, () -> FirstSteps.dot(new float[2], new float[3]));
    }
}
