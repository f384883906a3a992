package llmbook.exercises.ch06;

import static org.junit.jupiter.api.Assertions.assertEquals;

import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch06.cosine_schedule", title = "Warm-up + cosine learning rate")
class CosineScheduleTest {
    @Test
    @Points(value = 1, hint = "warm-up is linear: peak·(s+1)/warmup, reaching peak at s = warmup−1")
    void warmUp() {
        assertEquals(0.1, CosineSchedule.lr(0, 1, 0, 10, 110), 1e-12);
        assertEquals(1.0, CosineSchedule.lr(9, 1, 0, 10, 110), 1e-12);
    }

    @Test
    @Points(value = 2, hint = "after warm-up: min + ½(peak−min)(1+cos(π·p)), p = (s−warmup)/(total−warmup)")
    void cosine() {
        assertEquals(1.0, CosineSchedule.lr(10, 1, 0, 10, 110), 1e-12);
        assertEquals(0.5, CosineSchedule.lr(60, 1, 0, 10, 110), 1e-12);
        assertEquals(0.1, CosineSchedule.lr(110, 1, 0.1, 10, 110), 1e-12);
        assertEquals(0.1, CosineSchedule.lr(500, 1, 0.1, 10, 110), 1e-12, "stays at min after total");
    }
}
