package llmbook.exercises.ch04;

import static org.junit.jupiter.api.Assertions.assertEquals;

import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch04.context_budget", title = "The longest context that fits in memory")
class ContextBudgetTest {
    /** Independent count in double (exact for the sizes used here). */
    static double need(double t, int l, int h, int c) { return 4.0 * l * (h * t * t + 2 * t * c); }

    @Test
    @Points(value = 1, hint = "per layer: H·T² weights plus 2·T·C keys and values, 4 bytes each")
    void bytesOfTheWorkedExampleAndHiddenSizes() {
        assertEquals(128, ContextBudget.bytes(4, 1, 1, 2));
        assertEquals((long) need(1024, 12, 12, 768), ContextBudget.bytes(1024, 12, 12, 768), "GPT-2 small at T = 1024");
        assertEquals((long) need(3, 2, 5, 7), ContextBudget.bytes(3, 2, 5, 7));
    }

    @Test
    @Points(value = 2, hint = "the budget is inclusive: exactly bytes(T) allows T, one byte less does not")
    void exactAtTheBoundary() {
        assertEquals(4, ContextBudget.longestContext(128, 1, 1, 2));
        assertEquals(3, ContextBudget.longestContext(127, 1, 1, 2));
        for (int t : new int[] {1, 2, 17, 100, 1000}) {
            long b = ContextBudget.bytes(t, 3, 4, 64);
            assertEquals(t, ContextBudget.longestContext(b, 3, 4, 64), "budget exactly bytes(" + t + ")");
            assertEquals(t - 1, ContextBudget.longestContext(b - 1, 3, 4, 64), "one byte short of bytes(" + t + ")");
        }
        assertEquals(0, ContextBudget.longestContext(10, 1, 1, 2), "not even T = 1 fits in 10 bytes");
    }

    @Test
    @Points(value = 2, hint = "the weights grow like T², the keys and values like T; use long arithmetic (budgets of terabytes)")
    void largeBudgetsDoNotOverflow() {
        long tb = 1L << 40;
        long t = ContextBudget.longestContext(tb, 12, 12, 768);
        assertEquals(true, need(t, 12, 12, 768) <= tb && need(t + 1, 12, 12, 768) > tb, "T = " + t + " for 1 TiB, GPT-2 small");
        assertEquals(true, t > 40_000 && t < 50_000, "T = " + t + " for 1 TiB, GPT-2 small");
        // four times the memory buys only about twice the context: the T² term dominates
        long t4 = ContextBudget.longestContext(4 * tb, 12, 12, 768);
        assertEquals(2.0, (double) t4 / t, 0.01, "quadrupling the budget");
    }
}
