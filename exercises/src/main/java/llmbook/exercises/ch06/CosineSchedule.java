package llmbook.exercises.ch06;

/**
 * Exercise ch06.cosine_schedule — learning rate with linear warm-up then cosine decay. Q18.
 *
 * <p>Goal: the learning rate of step s (0-based). During the first {@code warmup} steps it climbs in equal increments
 * and reaches {@code peak} on the last warm-up step (so the very first step is not taken at 0). From there it follows
 * half a period of a cosine, from {@code peak} at step {@code warmup} down to {@code min} at step {@code total}, and
 * stays at {@code min} afterwards. Work out the formula; the grader checks values, continuity and monotonicity on
 * hidden schedules, including one without warm-up.
 *
 * <p>Worked example: peak 1, min 0, warmup 10, total 110 → step 0: 0.1, step 9: 1.0, step 10: 1.0, step 60: 0.5,
 * step 110: 0. Run {@code ./llmbook grade 6} to see your score.
 */
public final class CosineSchedule {
    private CosineSchedule() {}

    public static double lr(int step, double peak, double min, int warmup, int total) {
        throw new UnsupportedOperationException("TODO ch06.cosine_schedule: linear warm-up to peak, then cosine from peak to min");
    }
}
