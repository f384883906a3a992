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
        throw new UnsupportedOperationException("TODO ch05.sinusoidal: for each position p and pair i, angle = p * 10000^(-2i/d); sin at 2i, cos at 2i+1");
    }
}
