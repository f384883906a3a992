package llmbook.exercises.ch13;

/**
 * Exercise ch13.dpo_loss — the DPO loss of one preference pair and its gradient, on plain numbers.
 *
 * <p>Inputs are sequence log-probabilities: {@code pw = log π(y_w|x)}, {@code pl = log π(y_l|x)} of the policy for the
 * chosen (w) and rejected (l) completion, and {@code rw, rl} the same under the frozen reference. With β > 0 the
 * implicit reward of a completion is β times how much more likely the policy makes it than the reference, and the
 * loss is the Bradley–Terry negative log-likelihood that the chosen one wins:
 * <pre>
 *   m    = β·((pw − rw) − (pl − rl))          the margin of implicit rewards
 *   loss = −log σ(m)                          (compute it stably: m = −1000 must give 1000, not ∞)
 * </pre>
 * Worked example: pw − rw = 1, pl − rl = −1, β = 0.5 → m = 1, loss = log(1 + e^{−1}) = 0.3133.
 * {@link #gradient} returns {@code {∂loss/∂pw, ∂loss/∂pl}} (the reference is a constant). Run {@code ./llmbook grade 13}.
 */
public final class DpoLoss {
    private DpoLoss() {}

    public static double loss(double pw, double pl, double rw, double rl, double beta) {
        double m = beta * ((pw - rw) - (pl - rl));
        return -(Math.min(m, 0) - Math.log1p(Math.exp(-Math.abs(m))));
    }

    public static double[] gradient(double pw, double pl, double rw, double rl, double beta) {
        double m = beta * ((pw - rw) - (pl - rl));
        double s = 1 / (1 + Math.exp(m));                  // σ(−m)
        return new double[] {-beta * s, beta * s};
    }
}
