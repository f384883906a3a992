package llmbook.exercises.ch06;

/**
 * Exercise ch06.early_stopping — when to stop training, and which weights to keep (Q16).
 *
 * <p>Validation losses are measured at evaluations 0, 1, 2, …; a model that starts to overfit sees its validation loss
 * turn up while its training loss keeps falling. Early stopping with patience P keeps the weights of the best
 * evaluation so far, and stops once P evaluations in a row have brought no improvement over it (an equal loss is not
 * an improvement). Return {best, stop}: the evaluation whose weights are kept, and the evaluation after which training
 * stops (the last one when patience never runs out).
 *
 * <p>Worked example: losses (3, 2, 2.5, 2.4, 2.6), patience 2: the best is evaluation 1; evaluations 2 and 3 do not
 * improve on 2, so training stops after evaluation 3: {1, 3}. Run {@code ./llmbook grade 6} to see your score.
 */
public final class EarlyStopping {
    private EarlyStopping() {}

    /** {best, stop} for these validation losses and this patience (≥ 1). */
    public static int[] decide(double[] val, int patience) {
        throw new UnsupportedOperationException("TODO ch06.early_stopping: track the best loss and how many evaluations have passed without beating it");
    }
}
