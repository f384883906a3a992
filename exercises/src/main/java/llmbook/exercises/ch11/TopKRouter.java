package llmbook.exercises.ch11;

/**
 * Exercise ch11.topk — a mixture-of-experts router picks k experts per token. Q46.
 *
 * <p>Given one token's router logits over E experts, turn them into probabilities (a softmax), keep the k most
 * probable experts, best first (a tie goes to the lower index), and give each chosen expert a gate: its probability,
 * or — when {@code renormalize} (Mixtral) — its probability divided by the sum over the k chosen.
 * Worked example: logits {@code ln(0.1), ln(0.5), ln(0.3), ln(0.1)}, k = 2 → experts {@code [1, 2]}, gates
 * {@code [0.5, 0.3]}, renormalised {@code [0.625, 0.375]}.
 * Run {@code ./llmbook grade 11} to see your score.
 */
public final class TopKRouter {
    private TopKRouter() {}

    /** The chosen experts (best first) and their gates. */
    public record Route(int[] experts, double[] gates) {}

    public static Route route(double[] logits, int k, boolean renormalize) {
        throw new UnsupportedOperationException("TODO ch11.topk: softmax (max subtracted), the k largest best first, gates (renormalised if asked)");
    }
}
