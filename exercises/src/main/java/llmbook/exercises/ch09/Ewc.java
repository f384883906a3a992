package llmbook.exercises.ch09;

/**
 * Exercise ch09.ewc — an anchor penalty against catastrophic forgetting (EWC and L2-SP). Q14.
 *
 * <p>Goal: while fine-tuning on a new task, pull each weight back towards the value it had after the old task
 * (the anchor), harder for the weights the old task depends on. {@link #fisher} estimates that dependence: for
 * each weight, the mean over old-task batches of its squared gradient. {@link #penalty} is the value added to the
 * loss, λ/2 times the Fisher-weighted squared distance from the anchor; {@link #gradient} is its derivative with
 * respect to the weights. A {@code null} Fisher means every weight counts the same (L2-SP).
 * Worked example: weights (1, 3), anchor (0, 1), Fisher (2, 0.5), λ = 4 give the penalty 2·(2·1 + 0.5·4) = 8 and
 * the gradient (8, 4); with a {@code null} Fisher the penalty is 2·(1 + 4) = 10. Old-task gradients (1, 2) and
 * (3, 0) give the Fisher (5, 2) — the mean of the squares, not the square of the mean.
 * Run {@code ./llmbook grade 9} to see your score.
 */
public final class Ewc {
    private Ewc() {}

    /** grads[b][i] = the old task's gradient of weight i on batch b; returns one Fisher value per weight. */
    public static double[] fisher(double[][] grads) {
        throw new UnsupportedOperationException("TODO ch09.ewc: the mean over batches of each weight's squared gradient");
    }

    /** The penalty for weights w held to anchor with the given Fisher (null: all ones) and strength lambda. */
    public static double penalty(double[] w, double[] anchor, double[] fisher, double lambda) {
        throw new UnsupportedOperationException("TODO ch09.ewc: λ/2 · Σ F (w − anchor)²");
    }

    /** d penalty / d w. */
    public static double[] gradient(double[] w, double[] anchor, double[] fisher, double lambda) {
        throw new UnsupportedOperationException("TODO ch09.ewc: differentiate the penalty weight by weight");
    }
}
