package llmbook.exercises.ch06;

import java.util.Random;
import llmbook.model.transformer.Decoder;
import llmbook.optim.Optimizer;

/**
 * Reference solution. Exercise ch06.train_loop — ASSEMBLE the training loop of a GPT (Q12, Q16, Q18, Q34).
 *
 * <p>Everything {@code llmbook.train.Trainer} does for the book's GPT, by hand, in four pieces:
 * <ul>
 *   <li>{@link #batch}: B windows of T tokens at random places of the token stream {@code ids}, as model inputs x
 *       and the targets y the model must predict at each position (both laid out (B, T) row after row).</li>
 *   <li>{@link #lr}: the learning rate of step s of {@code steps}: a linear warm-up over the first 10% of the steps
 *       (at least one step) up to {@code peak}, then half a cosine down to peak/10 at the last step.</li>
 *   <li>{@link #step}: one update of the model on one batch; returns the batch's loss before the update. After it,
 *       the parameters' gradients must be those of THIS batch only.</li>
 *   <li>{@link #train}: {@code steps} updates with batches of 8 windows of the model's context, the learning rate of
 *       {@link #lr} set on the optimizer before each update.</li>
 * </ul>
 * Use the model's {@code loss(x, y, B, T)} (mean cross-entropy, a scalar tensor), {@code backward()} on it, and the
 * optimizer's {@code zeroGrad()}, {@code setLr()} and {@code step()}. The grader trains a one-layer GPT on a tiny
 * corpus with your loop and an AdamW it gives you (80 steps, peak 0.03): the held-out loss must fall below 1.2 nats
 * per character (it starts near ln V ≈ 2.6) within a few seconds.
 *
 * <p>Worked example: for ids (10, 11, 12, 13, 14), T = 3, a window starting at 1 has x = (11, 12, 13) and
 * y = (12, 13, 14). Run {@code ./llmbook grade 6} to see your score.
 */
public final class TrainLoop {
    private TrainLoop() {}

    /** {x, y}, each B·T ids: B random windows of ids and, for each, the next token at every position. */
    public static int[][] batch(int[] ids, int b, int t, Random rng) {
        int[] x = new int[b * t], y = new int[b * t];
        for (int r = 0; r < b; r++) {
            int s = rng.nextInt(ids.length - t);               // s + t ≤ ids.length − 1: the last target exists
            for (int i = 0; i < t; i++) { x[r * t + i] = ids[s + i]; y[r * t + i] = ids[s + i + 1]; }
        }
        return new int[][] {x, y};
    }

    /** Learning rate of step s (0-based) of {@code steps}. */
    public static double lr(int s, int steps, double peak) {
        int warm = Math.max(1, steps / 10);
        if (s < warm) return peak * (s + 1) / warm;
        double p = steps - 1 == warm ? 1 : (double) (s - warm) / (steps - 1 - warm);
        double min = peak / 10;
        return min + 0.5 * (peak - min) * (1 + Math.cos(Math.PI * Math.min(1, p)));
    }

    /** One update on (x, y); returns the loss before it. */
    public static double step(Decoder model, Optimizer opt, int[] x, int[] y, int b, int t) {
        opt.zeroGrad();
        var loss = model.loss(x, y, b, t);
        loss.backward();
        opt.step();
        return loss.item();
    }

    /** {@code steps} updates of {@code model} on {@code ids} with {@code opt}, learning rates from {@link #lr}. */
    public static void train(Decoder model, Optimizer opt, int[] ids, int steps, double peak, long seed) {
        Random rng = new Random(seed);
        model.train();
        for (int s = 0; s < steps; s++) {
            int[][] xy = batch(ids, 8, model.context(), rng);
            opt.setLr((float) lr(s, steps, peak));
            step(model, opt, xy[0], xy[1], 8, model.context());
        }
    }
}
