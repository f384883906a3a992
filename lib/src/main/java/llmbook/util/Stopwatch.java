package llmbook.util;

import java.util.Arrays;

/**
 * Honest timing for notebooks: warm up, repeat, report the median. Machines are shared and noisy,
 * and the first runs of a method are interpreted or half-compiled, so a single timing is worthless.
 * (Library speed claims come from {@code ./llmbook bench}; this is for showing effects in a notebook.)
 */
public final class Stopwatch {
    private Stopwatch() {}

    /** The median wall time in nanoseconds of {@code reps} runs of {@code work}, after {@code warmup} unmeasured runs. */
    public static double medianNanos(Runnable work, int warmup, int reps) {
        if (reps < 1) throw new IllegalArgumentException("reps must be >= 1, got " + reps);
        for (int i = 0; i < warmup; i++) work.run();
        long[] t = new long[reps];
        for (int i = 0; i < reps; i++) {
            long s = System.nanoTime();
            work.run();
            t[i] = System.nanoTime() - s;
        }
        Arrays.sort(t);
        return reps % 2 == 1 ? t[reps / 2] : (t[reps / 2 - 1] + t[reps / 2]) / 2.0;
    }
}
