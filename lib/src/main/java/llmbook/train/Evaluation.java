package llmbook.train;

import llmbook.data.TokenBatch;
import llmbook.data.TokenWindows;
import llmbook.model.LanguageModel;
import llmbook.tensor.Functional;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * How well a {@link LanguageModel} predicts a token stream, measured the same way everywhere in the book: mean
 * next-token cross-entropy (nats per token), its perplexity, and the loss at each position of the context. Every
 * method runs in evaluation mode without gradients and puts the model back in the mode it was in. Q34.
 * <pre>{@code
 * double val = Evaluation.loss(model, valIds);                 // 10 batches of 8 random windows, seed 2024
 * double ppl = Evaluation.perplexity(model, valIds);           // e^loss
 * double all = Evaluation.streamLoss(model, valIds, 8);        // every token once, non-overlapping windows
 * double[] byPos = Evaluation.lossByPosition(model, valIds, 128, 64, 7);  // loss at positions 0 … 127
 * }</pre>
 * Two models of the same context given the same ids and seed are scored on the same windows.
 */
public final class Evaluation {
    /** Batches and windows per batch of {@link #loss(LanguageModel, int[])}, and its seed. */
    public static final int BATCHES = 10, BATCH = 8;
    public static final long SEED = 2024;

    private Evaluation() {}

    /** {@link #loss(LanguageModel, int[], int, int, long)} over 10 batches of 8 windows, seed 2024. */
    public static double loss(LanguageModel model, int[] ids) { return loss(model, ids, BATCHES, BATCH, SEED); }

    /**
     * Mean next-token loss over {@code batches} batches of {@code batch} windows of the model's context, at offsets
     * drawn from {@code new Rng(seed)}.
     */
    public static double loss(LanguageModel model, int[] ids, int batches, int batch, long seed) {
        if (batches < 1 || batch < 1) throw new IllegalArgumentException("Evaluation.loss: batches and batch must be >= 1, got " + batches + " and " + batch);
        TokenWindows w = TokenWindows.random(ids, Math.min(model.context(), ids.length - 1));
        Rng rng = new Rng(seed);
        return inEval(model, () -> {
            double s = 0;
            for (int i = 0; i < batches; i++) {
                TokenBatch b = w.next(rng, batch);
                s += model.loss(b.x(), b.y(), b.B(), b.T()).item();
            }
            return s / batches;
        });
    }

    /** e to the {@link #loss(LanguageModel, int[])}: the number of equally likely tokens the model hesitates between. */
    public static double perplexity(LanguageModel model, int[] ids) { return Math.exp(loss(model, ids)); }

    /**
     * Mean loss over every token of {@code ids} that fits in whole non-overlapping windows of the model's context
     * (the last partial window is dropped), {@code batch} windows at a time: deterministic, no sampling.
     */
    public static double streamLoss(LanguageModel model, int[] ids, int batch) {
        int T = Math.min(model.context(), ids.length - 1);
        TokenWindows w = TokenWindows.sequential(ids, T);
        int n = w.windowsPerEpoch();
        return inEval(model, () -> {
            double s = 0;
            int done = 0;
            while (done < n) {
                int B = Math.min(batch, n - done);
                TokenBatch b = w.next(null, B);
                s += model.loss(b.x(), b.y(), b.B(), b.T()).item() * B;
                done += B;
            }
            return s / n;
        });
    }

    /**
     * Mean loss at each position {@code 0 … T−1} over {@code windows} random windows of {@code T} tokens (seeded): how
     * much the model gains from seeing more context. {@code T} may not exceed what the model accepts.
     */
    public static double[] lossByPosition(LanguageModel model, int[] ids, int T, int windows, long seed) {
        if (T > model.context()) throw new IllegalArgumentException("Evaluation.lossByPosition: T = " + T + " exceeds the model's context " + model.context());
        TokenWindows w = TokenWindows.random(ids, T);
        Rng rng = new Rng(seed);
        int V = model.vocab();
        return inEval(model, () -> {
            double[] sum = new double[T];
            for (int done = 0; done < windows; ) {
                int B = Math.min(8, windows - done);
                TokenBatch b = w.next(rng, B);
                float[] lp = Functional.logSoftmax(model.logits(b.x(), B, T).reshape(B * T, V)).toArray();
                for (int i = 0; i < B * T; i++) sum[i % T] -= lp[i * V + b.y()[i]];
                done += B;
            }
            for (int t = 0; t < T; t++) sum[t] /= windows;
            return sum;
        });
    }

    private interface Measure<R> { R run(); }

    private static <R> R inEval(LanguageModel model, Measure<R> m) {
        boolean was = model.isTraining();
        model.train(false);
        try (var g = Tensor.noGrad()) {
            return m.run();
        } finally {
            model.train(was);
        }
    }
}
