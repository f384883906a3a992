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

    @Test
    @Points(value = 2, hint = "hidden schedules: no jumps anywhere (one step moves the rate by little), non-increasing after warm-up, warmup = 0 starts at peak")
    void hiddenSchedules() {
        int[][] shapes = {{0, 50}, {3, 40}, {100, 1000}};
        for (int[] sh : shapes) {
            int warm = sh[0], total = sh[1];
            double peak = 3e-3, min = 3e-4;
            if (warm == 0) assertEquals(peak, CosineSchedule.lr(0, peak, min, 0, total), 1e-12, "no warm-up: step 0 is at the peak");
            for (int s = 0; s < total + 5; s++) {
                double a = CosineSchedule.lr(s, peak, min, warm, total), b = CosineSchedule.lr(s + 1, peak, min, warm, total);
                assertEquals(true, a >= (s < warm ? 0 : min) - 1e-15 && a <= peak + 1e-15, "step " + s + ": " + a + " outside [" + (s < warm ? 0 : min) + ", peak]");
                if (s >= warm) assertEquals(true, b <= a + 1e-15, "step " + s + " → " + (s + 1) + " rises after warm-up");
                else assertEquals(true, b >= a - 1e-15, "warm-up must climb at step " + s);
                if (s >= warm) assertEquals(true, a - b <= peak * Math.PI / Math.max(1, total - warm), "a jump at step " + s);
            }
            int mid = warm + (total - warm) / 2;
            if ((total - warm) % 2 == 0) assertEquals((peak + min) / 2, CosineSchedule.lr(mid, peak, min, warm, total), 1e-12, "half-way through the decay");
            assertEquals(min, CosineSchedule.lr(total, peak, min, warm, total), 1e-12, "at total");
        }
    }
}
