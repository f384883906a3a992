package llmbook.exercises.ch09;

/**
 * Exercise ch09.distill_loss — the knowledge-distillation loss for one position, and its gradient. Q15.
 *
 * <p>Goal: train a small student to match a large teacher. The loss mixes two terms with weight α: the soft term
 * compares the teacher's and the student's distributions, both softened by dividing the logits by a temperature
 * T, as KL(teacher ‖ student), multiplied by T² so its gradient keeps its size as T changes; the hard term is the
 * usual cross-entropy of the student's unsoftened distribution on the true label. {@link #gradient} is the
 * derivative of the loss with respect to the student's logits. Softmax with the row's maximum subtracted, so
 * logits in the thousands work.
 * Worked example: teacher logits (2, 0), student logits (0, 0), label 0, T = 2, α = ½: the softened teacher is
 * (0.7311, 0.2689), the softened student (½, ½), their KL 0.110944, so the loss is ½·4·0.110944 + ½·ln 2 =
 * 0.568464; at T = 1 and α = 1 the loss is just the KL of the plain softmaxes.
 * Run {@code ./llmbook grade 9} to see your score.
 */
public final class DistillLoss {
    private DistillLoss() {}

    public static double loss(double[] teacher, double[] student, int label, double temperature, double alpha) {
        throw new UnsupportedOperationException("TODO ch09.distill_loss: α·T²·KL(soft teacher ‖ soft student) + (1 − α)·CE");
    }

    /** d loss / d student logits. */
    public static double[] gradient(double[] teacher, double[] student, int label, double temperature, double alpha) {
        throw new UnsupportedOperationException("TODO ch09.distill_loss: differentiate both terms through the softmaxes");
    }
}
