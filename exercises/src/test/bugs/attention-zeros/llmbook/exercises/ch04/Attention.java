package llmbook.exercises.ch04;

/** Classic bug: an all-zeros output of the right shape (once scored 2 of 6 points). */
public final class Attention {
    private Attention() {}

    public static double[][] causal(double[][] q, double[][] k, double[][] v) {
        return new double[q.length][v[0].length];
    }
}
