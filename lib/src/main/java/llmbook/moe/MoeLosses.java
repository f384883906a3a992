package llmbook.moe;

import llmbook.tensor.Tensor;

/**
 * The two auxiliary losses of a router. Q46.
 * <pre>
 *   balance = α · E · Σᵢ fᵢ · Pᵢ      fᵢ = share of the N·k routing choices that picked expert i   (counted, no gradient)
 *                                     Pᵢ = mean over tokens of the router probability of expert i   (differentiable)
 *   z       = β · mean_t (log Σᵢ exp logits[t, i])²
 * </pre>
 * At perfect balance fᵢ = Pᵢ = 1/E and balance = α·E·E·(1/E²) = α, whatever E; if one expert takes everything with
 * probability 1 it is α·E. The gradient reaches the router through P only: it pushes probability away from the
 * experts that were picked most. The z-loss keeps the router logits small so the softmax stays out of float trouble
 * (ST-MoE).
 */
public final class MoeLosses {
    private MoeLosses() {}

    /** Share of the routing choices ({@code choice} of n·k entries) that went to each of the e experts: f (e). */
    public static float[] fractions(int[] choice, int e) {
        float[] f = new float[e];
        for (int c : choice) f[c] += 1f / choice.length;
        return f;
    }

    /** {@code α·E·Σ fᵢ·Pᵢ} with {@code probs} (N, E) the router probabilities and f the counted shares. */
    public static Tensor balance(Tensor probs, float[] f, float alpha) {
        int e = probs.size(-1);
        if (f.length != e) throw new IllegalArgumentException("MoeLosses.balance: " + f.length + " fractions for " + e + " experts");
        Tensor pMean = probs.mean(0, false);                          // (E)
        return pMean.mul(Tensor.of(f.clone(), e)).sum().mul(alpha * e);
    }

    /** {@code β·mean((logsumexp logits)²)} for router logits (N, E); the row max is a constant shift, so it carries no gradient. */
    public static Tensor zLoss(Tensor logits, float beta) {
        Tensor m = logits.max(1, true).detach();                      // (N, 1)
        Tensor lse = logits.sub(m).exp().sum(1, true).log().add(m);   // (N, 1)
        return lse.mul(lse).mean().mul(beta);
    }
}
