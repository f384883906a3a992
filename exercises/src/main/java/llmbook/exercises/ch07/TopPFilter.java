package llmbook.exercises.ch07;

/**
 * Exercise ch07.top_p — nucleus (top-p) filtering, ties included. Q21.
 *
 * <p>Goal: before sampling, keep only the most likely tokens — the smallest group of them whose probabilities
 * (softmax of the logits) add up to at least {@code p} — and make every other token impossible by setting its logit
 * to {@code −∞}. At least one token always survives. Among tokens of equal probability, the one with the lower id
 * is taken first, so the result is always the same.
 *
 * <p>Worked example: logits {@code (ln 0.1, ln 0.5, ln 0.3, ln 0.1)}, i.e. probabilities 0.1, 0.5, 0.3, 0.1, and
 * p = 0.85: the most likely is token 1 (0.5, not enough), then token 2 (0.8, not enough), then tokens 0 and 3 tie at
 * 0.1 — token 0 comes first and brings the mass to 0.9 ≥ 0.85. Result: {@code (ln 0.1, ln 0.5, ln 0.3, −∞)}. With
 * p = 0.75 tokens 1 and 2 are enough (0.8 ≥ 0.75). With p = 1 nothing is removed. A logit of 1000 must not
 * break anything, and tokens that are already {@code −∞} stay out.
 *
 * <p>Run {@code ./llmbook grade 7} to see your score.
 */
public final class TopPFilter {
    private TopPFilter() {}

    /**
     * A copy of {@code logits} with every token outside the nucleus set to {@code −∞} (the input is not changed).
     * Throws IllegalArgumentException when p is not in (0, 1].
     */
    public static float[] filter(float[] logits, double p) {
        throw new UnsupportedOperationException("TODO ch07.top_p: probabilities, most likely first (ties: lower id), keep until the mass reaches p");
    }
}
