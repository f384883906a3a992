package llmbook.exercises.ch04;

/**
 * Reference solution. Exercise ch04.context_budget — how long a context fits in memory (Q3).
 *
 * <p>The context window T is a fixed parameter of a model: every layer of attention keeps, for one sequence, each
 * head's T×T attention weights, and the T keys and T values of width C, all as 4-byte floats. Decide how that memory
 * grows with T, then find the longest context that fits in a budget. The answer must be exact at the boundary and
 * must not overflow for budgets of terabytes.
 *
 * <p>Worked example: 1 layer, 1 head, C = 2: T = 4 needs 4·(16 + 2·4·2) = 128 bytes, so a budget of 128 bytes allows
 * T = 4 and 127 bytes only T = 3. Run {@code ./llmbook grade 4} to see your score.
 */
public final class ContextBudget {
    private ContextBudget() {}

    /** Bytes of attention weights, keys and values for one sequence of length {@code t}. */
    public static long bytes(long t, int layers, int heads, int width) {
        return 4L * layers * (heads * t * t + 2L * t * width);
    }

    /** The largest T with {@code bytes(T, …) ≤ budget} (0 if not even T = 1 fits). */
    public static long longestContext(long budget, int layers, int heads, int width) {
        long lo = 0, hi = 1;
        while (bytes(hi, layers, heads, width) <= budget) hi *= 2;   // bytes grows like T²: hi stays below 2^32 for any long budget
        while (hi - lo > 1) {                                         // invariant: bytes(lo) ≤ budget < bytes(hi)
            long mid = (lo + hi) >>> 1;
            if (bytes(mid, layers, heads, width) <= budget) lo = mid; else hi = mid;
        }
        return lo;
    }
}
