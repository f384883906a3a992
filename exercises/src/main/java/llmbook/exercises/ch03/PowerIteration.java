package llmbook.exercises.ch03;

/**
 * Exercise ch03.power_iteration — the top eigenvector of a symmetric matrix (Q37).
 *
 * <p>Multiply a start vector by A again and again, normalising each time:
 * {@code v ← A v / |A v|}. Writing v in A's eigenvectors, each step scales the part along
 * eigenvector i by λ_i, so the part along the largest |λ| wins, at rate |λ₂/λ₁| per step. Its
 * eigenvalue is the Rayleigh quotient {@code vᵀ A v} (for a unit v). PCA's first component is this
 * vector for the covariance matrix. Worked example: A = [[2,1],[1,2]] has eigenvalues 3 and 1;
 * from v = (1, 0): (2,1)/√5 → (5,4)/√41 → ... → (1,1)/√2, and vᵀAv → 3.
 * The library's version is {@code llmbook.embed.SymmetricEigen.power}.
 */
public final class PowerIteration {
    private PowerIteration() {}

    /** {@code vᵀ A v / vᵀ v}. */
    public static double rayleigh(double[][] a, double[] v) {
        throw new UnsupportedOperationException("TODO ch03.power_iteration: compute A v, then (v · A v) / (v · v)");
    }

    /**
     * A unit eigenvector for the eigenvalue of largest absolute value, after {@code iterations}
     * steps from the start vector {@code (1, 1, ..., 1)}; sign chosen so its largest-magnitude entry is positive.
     */
    public static double[] topEigenvector(double[][] a, int iterations) {
        throw new UnsupportedOperationException("TODO ch03.power_iteration: repeat v = A v / |A v| from a normalised all-ones vector, then fix the sign");
    }
}
