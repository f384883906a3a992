package llmbook.exercises.ch05;

/**
 * Exercise ch05.sinusoidal — the fixed sinusoidal position table, and why a model can read offsets from it (Q8).
 *
 * <p>Goal: give every position p a d-wide code, made of d/2 clock hands that turn at different speeds: hand i is the
 * point (sin, cos) of the angle p·ω_i, with ω_i = 10000^(−2i/d), stored in features 2i (the sine) and 2i + 1 (the
 * cosine). {@link #table} builds the codes of positions 0 … t − 1. Then the reason it works: moving k positions
 * forward turns every hand by a fixed angle, so there is ONE matrix M_k, the same for every p, with
 * PE[p + k] = M_k · PE[p] — a linear map attention can learn. {@link #shift} returns that matrix: derive it.
 *
 * <p>Worked example, d = 4: row 0 is [0, 1, 0, 1]; row 1 is [sin 1, cos 1, sin 0.01, cos 0.01]; M_0 is the identity.
 * The library's table is {@code llmbook.attention.SinusoidalPositions}. Run {@code ./llmbook grade 5} to see your score.
 */
public final class Sinusoidal {
    private Sinusoidal() {}

    /** The (t, d) table; d must be even and t >= 1 (else IllegalArgumentException). */
    public static float[][] table(int t, int d) {
        throw new UnsupportedOperationException("TODO ch05.sinusoidal: for each position p and pair i, angle = p * 10000^(-2i/d); sin at 2i, cos at 2i+1");
    }

    /** The d×d matrix M_k with PE[p + k] = M_k · PE[p] for every position p (d even). */
    public static double[][] shift(int k, int d) {
        throw new UnsupportedOperationException("TODO ch05.sinusoidal: the d×d matrix taking PE[p] to PE[p + k] for every p");
    }
}
