package llmbook.exercises.ch11;

/**
 * Exercise ch11.balance — the Switch Transformer's load-balancing loss. Q46.
 *
 * <p>A router that sends every token to the same expert wastes the others. The auxiliary loss multiplies, for each
 * expert, the share of the routing choices it received (counted) by the mean probability the router gave it, sums
 * over experts, and scales by α·E. It equals α when the load is perfectly even, whatever E, and grows towards α·E as
 * one expert takes everything.
 * Worked example: E = 2, α = 0.01, four tokens with router probabilities (0.9, 0.1), (0.8, 0.2), (0.6, 0.4),
 * (0.3, 0.7) and top-1 choices 0, 0, 0, 1: shares (0.75, 0.25), mean probabilities (0.65, 0.35), loss
 * 0.01·2·(0.75·0.65 + 0.25·0.35) = 0.0115.
 */
public final class BalanceLoss {
    private BalanceLoss() {}

    /**
     * @param probs   router probabilities, one row of E per token
     * @param choices each token's chosen experts (k per token; every choice counts once among the N·k)
     * @param alpha   the coefficient α
     */
    public static double loss(double[][] probs, int[][] choices, double alpha) {
        int n = probs.length, e = probs[0].length;
        double[] f = new double[e], pMean = new double[e];
        int total = 0;
        for (int[] c : choices) total += c.length;
        for (int[] c : choices) for (int x : c) f[x] += 1.0 / total;
        for (double[] row : probs) for (int i = 0; i < e; i++) pMean[i] += row[i] / n;
        double s = 0;
        for (int i = 0; i < e; i++) s += f[i] * pMean[i];
        return alpha * e * s;
    }
}
