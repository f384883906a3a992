package llmbook.exercises.ch13;

/**
 * Exercise ch13.mla_decode — one head of multi-head latent attention at decode time, two ways.
 *
 * <p>The cache holds, for each earlier token j, only a latent {@code c_j} of size dc (row j of {@code latents},
 * n × dc, row-major). The head's key and value are rebuilt from it by the up-projections {@code wUk} and {@code wUv}
 * (each d × dc, row-major): {@code k_j = W_UK·c_j}, {@code v_j = W_UV·c_j}. For a query q (size d):
 * <pre>
 *   naive:     s_j = scale · q·k_j,   p = softmax(s),   out = Σ_j p_j v_j                (builds n keys and values)
 * </pre>
 * {@link #absorbed} must give the same output without building any k_j or v_j: fold W_UK into the query once
 * (a vector of size dc), score it against the latents directly, take the p-weighted sum of the latents, and apply
 * W_UV once at the end. Worked example: d = dc = 1, W_UK = 2, W_UV = 3, latents (1, 0), q = 1, scale 1: scores (2, 0),
 * p = (0.881, 0.119), out = 3·0.881 = 2.642 both ways. Run {@code ./llmbook grade 13}.
 */
public final class MlaDecode {
    private MlaDecode() {}

    public static double[] naive(double[] q, double[] wUk, double[] wUv, double[] latents, int n, int d, int dc, double scale) {
        throw new UnsupportedOperationException("TODO ch13.mla_decode: k_j = W_UK·c_j, v_j = W_UV·c_j, softmax(scale·q·k), Σ p_j v_j");
    }

    public static double[] absorbed(double[] q, double[] wUk, double[] wUv, double[] latents, int n, int d, int dc, double scale) {
        throw new UnsupportedOperationException("TODO ch13.mla_decode: q̃ = W_UKᵀ q, scores against the latents, Σ p_j c_j, then W_UV");
    }
}
