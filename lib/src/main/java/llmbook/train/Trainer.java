package llmbook.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import llmbook.kernels.Kernels;
import llmbook.model.gpt.Gpt;
import llmbook.optim.AdamW;
import llmbook.optim.GradClip;
import llmbook.optim.ParamGroup;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import llmbook.util.Progress;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * Trains a {@link Gpt} on a token stream: random windows of {@code context + 1} tokens (a seeded RNG picks
 * the offsets), AdamW with no decay on biases and norms, warm-up + cosine schedule, gradient clipping,
 * gradient accumulation, evaluation on the validation stream every {@code evalInterval} steps and at the end,
 * early stopping. Q12, Q16, Q18, Q34.
 *
 * <p>Metrics go into a Tablesaw table — step, train loss, val loss (NaN between evaluations), lr,
 * tokens/s, elapsed seconds — which notebooks plot and the CLI writes as CSV. A progress bar shows the
 * loss and speed. Same seed and same thread count give the same losses, bit for bit.
 *
 * <p>Everything the next step depends on — weights, AdamW moments and step count, the batch RNG, the dropout
 * RNG, the early-stopping record and the metrics — is saved by {@link #save} and restored by {@link #resume}
 * ({@link TrainState}), so a run stopped at step s and resumed continues the loss curve it would have had.
 *
 * <p>Early stopping ({@code patience > 0}): after each evaluation, a validation loss below the best so far
 * becomes the new best and its weights are copied aside; after {@code patience} evaluations in a row without
 * one, training stops and the best weights are put back.
 */
public final class Trainer {
    private final Gpt model;
    private final TrainConfig cfg;
    private final int[] train, val;
    private final AdamW opt;
    private final Rng rng;
    private final Table metrics = Table.create("training",
            IntColumn.create("step"), DoubleColumn.create("train_loss"), DoubleColumn.create("val_loss"),
            DoubleColumn.create("lr"), DoubleColumn.create("tokens_per_s"), DoubleColumn.create("elapsed_s"));
    int step = 0;
    double elapsedBefore = 0;
    double bestVal = Double.POSITIVE_INFINITY;
    int bestStep = 0, evalsWithoutImprovement = 0;
    boolean stopped = false;
    float[][] best;                  // weights at the best validation loss (only with early stopping)

    public Trainer(Gpt model, TrainConfig cfg, int[] trainTokens, int[] valTokens) {
        int need = model.config.context() + 1;
        if (trainTokens.length < need || valTokens.length < need)
            throw new IllegalArgumentException("Trainer: need at least context + 1 = " + need + " tokens in each split, got train "
                    + trainTokens.length + ", validation " + valTokens.length);
        this.model = model;
        this.cfg = cfg;
        this.train = trainTokens;
        this.val = valTokens;
        this.opt = new AdamW(ParamGroup.decayMatricesOnly(model.namedParameters(), cfg.weightDecay()), cfg.lr(), cfg.beta1(), cfg.beta2(), 1e-8f);
        this.rng = new Rng(cfg.seed());
    }

    /** The metrics so far. */
    public Table metrics() { return metrics; }

    public Gpt model() { return model; }

    public TrainConfig config() { return cfg; }

    public AdamW optimizer() { return opt; }

    /** The RNG that picks the training batches. */
    Rng batchRng() { return rng; }

    /** Optimizer steps taken. */
    public int step() { return step; }

    /** True once early stopping has ended the run (the model then holds the best weights). */
    public boolean stoppedEarly() { return stopped; }

    /** The lowest validation loss seen (∞ before the first evaluation) and the step it was reached at. */
    public double bestValLoss() { return bestVal; }

    public int bestStep() { return bestStep; }

    /** True when there is nothing left to do: the last step is done or early stopping has fired. */
    public boolean finished() { return stopped || step >= cfg.steps(); }

    /** Runs every remaining step; {@code onEval} sees the metrics table after each evaluation (e.g. to redraw a plot). */
    public Table run(Consumer<Table> onEval) { return runUntil(cfg.steps(), onEval); }

    /** Runs until step {@code untilStep} (at most the configured steps), or until early stopping. */
    public Table runUntil(int untilStep, Consumer<Table> onEval) {
        if (untilStep < step || untilStep > cfg.steps())
            throw new IllegalArgumentException("Trainer: cannot run until step " + untilStep + ": at step " + step + " of " + cfg.steps());
        Kernels.setThreads(cfg.threads());
        int T = model.config.context(), B = cfg.batch(), A = cfg.accumulate();
        LrSchedule schedule = cfg.schedule();
        int[] x = new int[B * T], y = new int[B * T];
        float[] seed = {1f / A};
        long start = System.nanoTime(), windowStart = start;
        int windowSteps = 0;
        model.train();
        try (Progress bar = Progress.of("training", cfg.steps())) {
            bar.resumeAt(step);                                           // a resumed run starts part-way; its rate counts from here
            while (step < untilStep && !stopped) {
                if (Thread.currentThread().isInterrupted()) throw new IllegalStateException("training interrupted at step " + step);
                float lr = schedule.lr(step);
                opt.setLr(lr);
                model.zeroGrad();
                double loss = 0;
                for (int a = 0; a < A; a++) {                            // gradients add up over the micro-batches
                    sample(train, rng, x, y, B, T);
                    Tensor l = model.loss(x, y, B, T);
                    l.backward(seed);                                    // d(mean over A micro-batches)/d(loss_a) = 1/A
                    loss += l.item() / A;
                    l.releaseGraph();                                    // its activations and gradients serve the next micro-batch
                }
                GradClip.clipGlobalNorm(opt.params(), cfg.clip());
                opt.step();
                step++;
                windowSteps++;
                boolean eval = step % cfg.evalInterval() == 0 || step == cfg.steps();
                double now = System.nanoTime();
                double tps = windowSteps * (double) B * T * A / ((now - windowStart) / 1e9);
                double valLoss = eval ? evaluate(T) : Double.NaN;
                if (eval) {
                    windowStart = System.nanoTime();
                    windowSteps = 0;
                    recordEvaluation(valLoss);
                }
                metrics.intColumn("step").append(step);
                metrics.doubleColumn("train_loss").append(loss);
                metrics.doubleColumn("val_loss").append(valLoss);
                metrics.doubleColumn("lr").append(lr);
                metrics.doubleColumn("tokens_per_s").append(tps);
                metrics.doubleColumn("elapsed_s").append(elapsedBefore + (now - start) / 1e9);
                bar.message("loss %.3f%s, %,.0f tok/s", loss, eval ? String.format(", val %.3f", valLoss) : "", tps);
                bar.step();
                if (eval) bar.note(String.format("step %d: train loss %.4f, val loss %.4f (perplexity %.2f), %,.0f tokens/s",
                        step, loss, valLoss, Math.exp(valLoss), tps));
                if (stopped) bar.note(String.format("early stopping at step %d: no better validation loss in %d evaluations; "
                        + "restored the best weights (step %d, val loss %.4f)", step, cfg.patience(), bestStep, bestVal));
                if (eval && onEval != null) onEval.accept(metrics);
            }
        }
        if (metrics.rowCount() > 0) elapsedBefore = metrics.doubleColumn("elapsed_s").get(metrics.rowCount() - 1);
        return metrics;
    }

    private void recordEvaluation(double valLoss) {
        if (valLoss < bestVal) {
            bestVal = valLoss;
            bestStep = step;
            evalsWithoutImprovement = 0;
            if (cfg.patience() > 0) best = snapshot();
        } else if (cfg.patience() > 0 && ++evalsWithoutImprovement >= cfg.patience()) {
            stopped = true;
            restore(best);
        }
    }

    private float[][] snapshot() {
        var ps = model.parameters();
        float[][] s = best != null && best.length == ps.size() ? best : new float[ps.size()][];
        for (int i = 0; i < s.length; i++) {
            float[] d = ps.get(i).data();
            if (s[i] == null || s[i].length != d.length) s[i] = new float[d.length];
            System.arraycopy(d, 0, s[i], 0, d.length);
        }
        return s;
    }

    private void restore(float[][] weights) {
        if (weights == null) return;
        var ps = model.parameters();
        for (int i = 0; i < weights.length; i++) System.arraycopy(weights[i], 0, ps.get(i).data(), 0, weights[i].length);
    }

    /** Mean loss over {@code evalBatches} validation batches at fixed offsets (the same every evaluation). */
    public double evaluate(int T) {
        int B = cfg.batch();
        Rng rng = new Rng(cfg.seed() ^ 0x5EEDL);
        int[] x = new int[B * T], y = new int[B * T];
        double sum = 0;
        boolean wasTraining = model.isTraining();
        model.eval();
        try (var g = Tensor.noGrad()) {
            for (int i = 0; i < cfg.evalBatches(); i++) {
                sample(val, rng, x, y, B, T);
                sum += model.loss(x, y, B, T).item();
            }
        } finally {
            if (wasTraining) model.train();
        }
        return sum / cfg.evalBatches();
    }

    /**
     * Saves everything needed to resume into one file, atomically ({@link TrainState}); {@code metadata} is
     * stored with it.
     */
    public void save(Path file, Map<String, String> metadata) throws IOException { TrainState.save(file, this, metadata); }

    /** Restores a state saved by {@link #save}, refusing a file that does not fit this model and config. */
    public Map<String, String> resume(Path file) throws IOException { return TrainState.load(file, this); }

    /** Fills x with B random windows of T tokens and y with the same windows shifted by one. */
    static void sample(int[] tokens, Rng rng, int[] x, int[] y, int B, int T) {
        for (int b = 0; b < B; b++) {
            int o = rng.nextInt(tokens.length - T);
            System.arraycopy(tokens, o, x, b * T, T);
            System.arraycopy(tokens, o + 1, y, b * T, T);
        }
    }
}
