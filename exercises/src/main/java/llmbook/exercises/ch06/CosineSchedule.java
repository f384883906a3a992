package llmbook.exercises.ch06;

/**
 * Exercise ch06.cosine_schedule — learning rate with linear warm-up then cosine decay. Q18.
 *
 * <p>For step s (0-based): during warm-up ({@code s < warmup}) {@code lr = peak·(s+1)/warmup}; afterwards, with
 * {@code p = min(1, (s − warmup)/(total − warmup))}, {@code lr = min + ½(peak − min)(1 + cos(π·p))}.
 * Worked example: peak 1, min 0, warmup 10, total 110 → step 0: 0.1, step 9: 1.0, step 60: 0.5, step 110: 0.
 * Run {@code ./llmbook grade 6} to see your score.
 */
public final class CosineSchedule {
    private CosineSchedule() {}

    public static double lr(int step, double peak, double min, int warmup, int total) {
        throw new UnsupportedOperationException("TODO ch06.cosine_schedule: linear warm-up to peak, then cosine from peak to min");
    }
}
