package llmbook.exercises.ch13;

/**
 * Exercise ch13.rope_scaling — the rotation frequencies of RoPE stretched to a longer context.
 *
 * <p>Plain RoPE rotates pair i (i = 0 … d/2 − 1) of a head of size d by the angle p·θ_i at position p, with
 * {@code θ_i = base^(−2i/d)}. A model trained at context L has seen angles up to L·θ_i only. To read it at s·L:
 * <pre>
 *   interpolation(d, base, s)[i] = θ_i / s                     every pair slowed down s times
 *   ntk(d, base, s)[i]           = base'^(−2i/d),  base' = base · s^(d/(d−2))
 * </pre>
 * NTK-aware scaling changes the base instead: the fastest pair (i = 0) keeps its frequency, and the slowest
 * (i = d/2 − 1) is slowed by exactly s — check it with d = 4, base 100, s = 4: θ = (1, 0.1), interpolation
 * (0.25, 0.025), NTK base' = 100·4² = 1600, θ' = (1, 0.025). Run {@code ./llmbook grade 13}.
 */
public final class RopeScaling {
    private RopeScaling() {}

    public static double[] interpolation(int d, double base, double s) {
        throw new UnsupportedOperationException("TODO ch13.rope_scaling: θ_i / s");
    }

    public static double[] ntk(int d, double base, double s) {
        throw new UnsupportedOperationException("TODO ch13.rope_scaling: base\' = base·s^(d/(d−2)), θ\'_i = base\'^(−2i/d)");
    }
}
