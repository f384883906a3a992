package llmbook.exercises.ch06;

/** Reference solution of ch06.cosine_schedule (see the starter for the statement). Q18. */
public final class CosineSchedule {
    private CosineSchedule() {}

    public static double lr(int step, double peak, double min, int warmup, int total) {
        if (step < warmup) return peak * step / warmup;   // classic bug: step 0 at lr 0
        double p = Math.min(1.0, (step - warmup) / (double) Math.max(1, total - warmup));
        return min + 0.5 * (peak - min) * (1 + Math.cos(Math.PI * p));
    }
}
