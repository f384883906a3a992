package llmbook.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LrScheduleTest {
    @Test
    void equalMaxAndMinWithoutWarmupIsConstant() {
        LrSchedule c = new LrSchedule(3e-4f, 3e-4f, 0, 100);
        for (int s : new int[] {0, 1, 50, 99, 100, 1000}) assertEquals(3e-4f, c.lr(s), 0f, "step " + s);
    }

    @Test
    void quarterOfTheCosineByHand() {
        // The reference recipe scaled down: warm-up 100, cosine to step 2000, 1e-3 -> 1e-4.
        LrSchedule s = new LrSchedule(1e-3f, 1e-4f, 100, 2000);
        assertEquals(1e-5f, s.lr(0), 1e-10f);                        // 1e-3 · 1/100
        assertEquals(5e-4f, s.lr(49), 1e-10f);                       // 1e-3 · 50/100
        // s = 575: progress (575-100)/1900 = 1/4, lr = 1e-4 + 4.5e-4 · (1 + cos(π/4)) = 8.6820e-4
        assertEquals(1e-4 + 4.5e-4 * (1 + Math.sqrt(0.5)), s.lr(575), 1e-9);
        assertEquals(5.5e-4f, s.lr(1050), 1e-9f);                    // halfway
        assertEquals(1e-4f, s.lr(2000), 1e-10f);
        for (int i = 100; i < 2000; i++) assertTrue(s.lr(i + 1) <= s.lr(i), "never rises after warm-up, step " + i);
    }

    @Test
    void refusesNonsenseNamingTheValues() {
        String m = assertThrows(IllegalArgumentException.class, () -> new LrSchedule(-1f, 0f, 0, 10)).getMessage();
        assertTrue(m.contains("-1.0"), m);
        m = assertThrows(IllegalArgumentException.class, () -> new LrSchedule(1e-3f, 0f, 5, 0)).getMessage();
        assertTrue(m.contains("total 0"), m);
    }
}
