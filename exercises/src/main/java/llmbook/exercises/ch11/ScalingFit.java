package llmbook.exercises.ch11;

/**
 * Exercise ch11.scaling_fit — predict a big model's loss from small ones, as GPT-4's report did. Q43.
 *
 * <p>Goal: given the parameter counts N and validation losses L of a few small models trained with one recipe, and
 * the irreducible loss c (the floor no model size removes), fit the power law L(N) = a·N^(−b) + c and return the loss
 * it predicts for a larger model. Fit it the way {@code llmbook.scaling.PowerLaw} does for a fixed floor: the part
 * above the floor, L − c, is a straight line against N on log–log axes, so fit that line by ordinary least squares.
 * Losses at or below the floor have no logarithm: reject them with an IllegalArgumentException.
 *
 * <p>Worked example: N = {1,000, 10,000, 100,000} with L = {2.3162, 2.1, 2.0316} and c = 2. Above the floor the
 * losses are 0.3162, 0.1, 0.0316: each tenfold N divides them by √10, so b = 0.5 and a = 10; the model with
 * N = 1,000,000 is predicted at 2 + 10/1000 = 2.01. Forgetting c (fitting log L) would predict about 1.95, below
 * the floor. Run {@code ./llmbook grade 11} to see your score.
 */
public final class ScalingFit {
    private ScalingFit() {}

    /** Returns {a, b} of the least-squares line log(L − c) = log a − b·log N. */
    public static double[] fit(double[] n, double[] loss, double c) {
        throw new UnsupportedOperationException("TODO ch11.scaling_fit: least squares of log(L − c) on log N");
    }

    /** The loss the fitted law predicts at {@code nNew}. */
    public static double predict(double[] n, double[] loss, double c, double nNew) {
        throw new UnsupportedOperationException("TODO ch11.scaling_fit: a·nNew^(−b) + c");
    }
}
