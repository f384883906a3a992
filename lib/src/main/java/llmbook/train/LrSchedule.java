package llmbook.train;

/**
 * Learning rate by step: linear warm-up from 0 to {@code maxLr} over {@code warmup} steps, then a cosine
 * from {@code maxLr} down to {@code minLr} at step {@code total}; {@code minLr} after that. Q18.
 * <pre>
 *   lr(s) = maxLr · (s + 1) / warmup                                   s &lt; warmup
 *   lr(s) = minLr + ½(maxLr − minLr)(1 + cos(π · (s − warmup) / (total − warmup)))   warmup ≤ s ≤ total
 * </pre>
 * {@code new LrSchedule(1e-3f, 1e-3f, 0, n)} is a constant rate.
 */
public record LrSchedule(float maxLr, float minLr, int warmup, int total) {
    public LrSchedule {
        if (!(maxLr > 0) || !(minLr >= 0) || minLr > maxLr)
            throw new IllegalArgumentException("LrSchedule: need 0 <= minLr <= maxLr and maxLr > 0, got maxLr " + maxLr + ", minLr " + minLr);
        if (warmup < 0 || total < 1 || warmup > total)
            throw new IllegalArgumentException("LrSchedule: need 0 <= warmup <= total and total >= 1, got warmup " + warmup + ", total " + total);
    }

    /** The learning rate for step {@code s} (0-based). */
    public float lr(int s) {
        if (s < warmup) return maxLr * (s + 1) / warmup;
        if (s >= total || total == warmup) return s >= total ? minLr : maxLr;
        double progress = (double) (s - warmup) / (total - warmup);
        return (float) (minLr + 0.5 * (maxLr - minLr) * (1 + Math.cos(Math.PI * progress)));
    }
}
