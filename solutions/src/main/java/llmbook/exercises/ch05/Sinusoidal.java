package llmbook.exercises.ch05;

/**
 * Exercise ch05.sinusoidal — the fixed sinusoidal position table (Q8).
 *
 * <p>{@code PE[p][2i] = sin(p / 10000^(2i/d))}, {@code PE[p][2i+1] = cos(p / 10000^(2i/d))}, i = 0 … d/2 − 1.
 * Worked example, d = 4: row 0 is [0, 1, 0, 1]; row 1 is [sin 1, cos 1, sin 0.01, cos 0.01].
 * The library's version is {@code llmbook.attention.SinusoidalPositions}.
 */
public final class Sinusoidal {
    private Sinusoidal() {}

    /** The (t, d) table; d must be even and t >= 1 (else IllegalArgumentException). */
    public static float[][] table(int t, int d) {
        if (t < 1 || d < 2 || d % 2 != 0)
            throw new IllegalArgumentException("Sinusoidal.table: need t >= 1 and an even d >= 2, got t=" + t + ", d=" + d);
        float[][] pe = new float[t][d];
        for (int p = 0; p < t; p++)
            for (int i = 0; i < d / 2; i++) {
                double a = p * Math.pow(10000.0, -2.0 * i / d);
                pe[p][2 * i] = (float) Math.sin(a);
                pe[p][2 * i + 1] = (float) Math.cos(a);
            }
        return pe;
    }
}
