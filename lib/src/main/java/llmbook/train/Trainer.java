package llmbook.train;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import llmbook.data.Batches;
import llmbook.data.TokenBatch;
import llmbook.data.TokenWindows;
import llmbook.kernels.Kernels;
import llmbook.model.LanguageModel;
import llmbook.nn.Module;
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
 * The one training loop of the book, for any {@link LanguageModel} or any batch-to-loss function over a
 * {@link Module}: AdamW on the trainable parameters (frozen ones are left alone) with no decay on biases and norms,
 * warm-up + cosine schedule, gradient clipping, gradient accumulation, evaluation every {@code evalInterval} steps
 * and at the end, early stopping. Q12, Q16, Q18, Q34.
 * <pre>{@code
 * // a language model on a token stream: random windows of context + 1 tokens
 * Trainer t = new Trainer(gpt, TrainConfig.reference().withSteps(500), trainIds, valIds);
 * t.onEval(m -> updateDisplay(id, LossPlot.of("training", m))).run();
 *
 * // anything else: a module, a batch source and a loss over one batch (seq2seq, encoders, distillation, DPO)
 * Trainer s = new Trainer(model, cfg, (rng, n) -> task.batch(rng, n), null, b -> model.loss(...));
 * }</pre>
 *
 * <p>Batches come from a {@link Batches} source ({@link TokenWindows} for a token stream) that draws from the
 * trainer's batch RNG, seeded with {@code seed}; evaluation draws {@code evalBatches} validation batches from a fresh
 * RNG seeded {@code seed ^ 0x5EED}, so every evaluation sees the same batches. Same seed and same thread count
 * give the same losses, bit for bit.
 *
 * <p>Metrics go into a Tablesaw table — step, train loss, val loss (NaN between evaluations), lr, tokens/s,
 * elapsed seconds — which notebooks plot and the CLI writes as CSV. A progress bar shows the loss and speed.
 * Listeners see every step ({@link #onStep}) and every evaluation ({@link #onEval}), e.g. to redraw a live plot.
 *
 * <p>Everything the next step depends on — weights, AdamW moments and step count, the batch RNG and source
 * position, the dropout RNG, the early-stopping record and the metrics — is saved by {@link #save} and restored by
 * {@link #resume} ({@link TrainState}), so a run stopped at step s and resumed continues the loss curve it would
 * have had.
 *
 * <p>Early stopping ({@code patience > 0}): after each evaluation, a validation loss below the best so far
 * becomes the new best and its weights are copied aside; after {@code patience} evaluations in a row without
 * one, training stops and the best weights are put back.
 */
public final class Trainer {
    /** One optimizer step, as the {@link #onStep} listeners see it. */
    public record Step(int step, double loss, float lr, long tokens, double seconds, double cpuSeconds) {}

    private final Module model;
    private final Rng dropoutRng;
    private final TrainConfig cfg;
    private final Job<?> job;
    private final AdamW opt;
    private final Rng rng;
    private final List<Consumer<Step>> stepListeners = new ArrayList<>();
    private final List<Consumer<Table>> evalListeners = new ArrayList<>();
    private final Table metrics = Table.create("training",
            IntColumn.create("step"), DoubleColumn.create("train_loss"), DoubleColumn.create("val_loss"),
            DoubleColumn.create("lr"), DoubleColumn.create("tokens_per_s"), DoubleColumn.create("elapsed_s"));
    private String label = "training";
    int step = 0;
    double elapsedBefore = 0;
    double bestVal = Double.POSITIVE_INFINITY;
    int bestStep = 0, evalsWithoutImprovement = 0;
    boolean stopped = false;
    float[][] best;                  // weights at the best validation loss (only with early stopping)

    /** A batch source, the validation source (may be null) and the loss, with one batch type. */
    private record Job<B>(Batches<B> train, Batches<B> val, LossFunction<B> loss) {
        double step(Rng rng, int size, float[] seed, long[] tokens) {
            B b = train.next(rng, size);
            tokens[0] += train.tokens(b);
            Tensor l = loss.loss(b);
            l.backwardAndRelease(seed);                          // d(mean over A micro-batches)/d(loss_a) = 1/A; the graph's
            return l.item();                                     // activations and gradients then serve the next micro-batch
        }

        double validationLoss(Rng rng, int size) { return loss.loss(val.next(rng, size)).item(); }
    }

    /** A language model on a token stream: random windows of {@code context + 1} tokens from each split. */
    public Trainer(LanguageModel model, TrainConfig cfg, int[] trainTokens, int[] valTokens) {
        this(model, cfg, windows(model, trainTokens, valTokens, true), windows(model, trainTokens, valTokens, false));
    }

    /** A language model on any source of token batches (sequential epochs, padded sequences). */
    public Trainer(LanguageModel model, TrainConfig cfg, Batches<TokenBatch> train, Batches<TokenBatch> val) {
        this(module(model), cfg, train, val, b -> model.loss(b.x(), b.y(), b.B(), b.T()));
    }

    /**
     * Any model: {@code loss} of batches drawn from {@code train}, evaluated on {@code val} ({@code null} = no
     * evaluation, so no early stopping either). The optimizer updates {@code model}'s trainable parameters as they
     * are now (freeze before making the trainer).
     */
    public <B> Trainer(Module model, TrainConfig cfg, Batches<B> train, Batches<B> val, LossFunction<B> loss) {
        if (val == null && cfg.patience() > 0)
            throw new IllegalArgumentException("Trainer: early stopping (patience " + cfg.patience() + ") needs validation batches");
        Map<String, Tensor> trainable = new LinkedHashMap<>();
        model.namedParameters().forEach((n, p) -> { if (p.requiresGrad()) trainable.put(n, p); });
        if (trainable.isEmpty())
            throw new IllegalArgumentException("Trainer: every parameter of " + model.getClass().getSimpleName() + " is frozen; nothing to train");
        this.model = model;
        this.dropoutRng = model instanceof LanguageModel lm ? lm.dropoutRng() : null;
        this.cfg = cfg;
        this.job = new Job<>(train, val, loss);
        this.opt = new AdamW(ParamGroup.decayMatricesOnly(trainable, cfg.weightDecay()), cfg.lr(), cfg.beta1(), cfg.beta2(), 1e-8f);
        this.rng = new Rng(cfg.seed());
    }

    private static Module module(LanguageModel lm) {
        if (lm instanceof Module m) return m;
        throw new IllegalArgumentException("Trainer: " + lm.getClass().getSimpleName() + " is a LanguageModel but not an llmbook.nn.Module");
    }

    private static TokenWindows windows(LanguageModel model, int[] train, int[] val, boolean isTrain) {
        int need = model.context() + 1;
        if (train.length < need || val.length < need)
            throw new IllegalArgumentException("Trainer: need at least context + 1 = " + need + " tokens in each split, got train "
                    + train.length + ", validation " + val.length);
        return TokenWindows.random(isTrain ? train : val, model.context());
    }

    /** Calls {@code listener} after every step (after its metrics row is written). Returns this. */
    public Trainer onStep(Consumer<Step> listener) { stepListeners.add(listener); return this; }

    /** Calls {@code listener} with the metrics table after every evaluation (e.g. to redraw a plot). Returns this. */
    public Trainer onEval(Consumer<Table> listener) { evalListeners.add(listener); return this; }

    /** The progress bar's label (default "training"). Returns this. */
    public Trainer label(String label) { this.label = label; return this; }

    /** The metrics so far. */
    public Table metrics() { return metrics; }

    /** The module being trained. */
    public Module model() { return model; }

    public TrainConfig config() { return cfg; }

    public AdamW optimizer() { return opt; }

    /** The RNG that picks the training batches. */
    Rng batchRng() { return rng; }

    /** The RNG of the model's dropout masks, or null. */
    Rng dropoutRng() { return dropoutRng; }

    /** The training batch source. */
    Batches<?> trainBatches() { return job.train(); }

    /** Optimizer steps taken. */
    public int step() { return step; }

    /** True once early stopping has ended the run (the model then holds the best weights). */
    public boolean stoppedEarly() { return stopped; }

    /** The lowest validation loss seen (∞ before the first evaluation) and the step it was reached at. */
    public double bestValLoss() { return bestVal; }

    public int bestStep() { return bestStep; }

    /** True when there is nothing left to do: the last step is done or early stopping has fired. */
    public boolean finished() { return stopped || step >= cfg.steps(); }

    /** Runs every remaining step. */
    public Table run() { return runUntil(cfg.steps()); }

    /** Runs every remaining step; {@code onEval} (may be null) also sees the metrics table after each evaluation. */
    public Table run(Consumer<Table> onEval) { return runUntil(cfg.steps(), onEval); }

    /** Runs until step {@code untilStep}, with {@code onEval} (may be null) as an extra evaluation listener. */
    public Table runUntil(int untilStep, Consumer<Table> onEval) {
        if (onEval == null) return runUntil(untilStep);
        evalListeners.add(onEval);
        try {
            return runUntil(untilStep);
        } finally {
            evalListeners.remove(evalListeners.size() - 1);
        }
    }

    /** Runs until step {@code untilStep} (at most the configured steps), or until early stopping. */
    public Table runUntil(int untilStep) {
        if (untilStep < step || untilStep > cfg.steps())
            throw new IllegalArgumentException("Trainer: cannot run until step " + untilStep + ": at step " + step + " of " + cfg.steps());
        Kernels.setThreads(cfg.threads());
        int B = cfg.batch(), A = cfg.accumulate();
        LrSchedule schedule = cfg.schedule();
        float[] seed = {1f / A};
        long[] tokens = {0};
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long start = System.nanoTime(), windowStart = start, windowTokens = 0;
        model.train(true);
        try (Progress bar = Progress.of(label, cfg.steps())) {
            bar.resumeAt(step);                                           // a resumed run starts part-way; its rate counts from here
            while (step < untilStep && !stopped) {
                if (Thread.currentThread().isInterrupted()) throw new IllegalStateException("training interrupted at step " + step);
                long t0 = System.nanoTime(), c0 = cpu.getCurrentThreadCpuTime();
                float lr = schedule.lr(step);
                opt.setLr(lr);
                model.zeroGrad();
                double loss = 0;
                tokens[0] = 0;
                for (int a = 0; a < A; a++) loss += job.step(rng, B, seed, tokens) / A;   // gradients add up over the micro-batches
                GradClip.clipGlobalNorm(opt.params(), cfg.clip());
                opt.step();
                step++;
                windowTokens += tokens[0];
                double now = System.nanoTime();
                Step done = new Step(step, loss, lr, tokens[0], (now - t0) / 1e9, (cpu.getCurrentThreadCpuTime() - c0) / 1e9);
                boolean eval = job.val() != null && (step % cfg.evalInterval() == 0 || step == cfg.steps());
                double tps = windowTokens > 0 ? windowTokens / ((now - windowStart) / 1e9) : Double.NaN;
                double valLoss = eval ? evaluate() : Double.NaN;
                if (eval) {
                    windowStart = System.nanoTime();
                    windowTokens = 0;
                    recordEvaluation(valLoss);
                }
                metrics.intColumn("step").append(step);
                metrics.doubleColumn("train_loss").append(loss);
                metrics.doubleColumn("val_loss").append(valLoss);
                metrics.doubleColumn("lr").append(lr);
                metrics.doubleColumn("tokens_per_s").append(tps);
                metrics.doubleColumn("elapsed_s").append(elapsedBefore + (now - start) / 1e9);
                bar.message("loss %.3f%s%s", loss, eval ? String.format(", val %.3f", valLoss) : "",
                        Double.isNaN(tps) ? "" : String.format(", %,.0f tok/s", tps));
                bar.step();
                if (eval) bar.note(String.format("step %d: train loss %.4f, val loss %.4f (perplexity %.2f)%s",
                        step, loss, valLoss, Math.exp(valLoss), Double.isNaN(tps) ? "" : String.format(", %,.0f tokens/s", tps)));
                if (stopped) bar.note(String.format("early stopping at step %d: no better validation loss in %d evaluations; "
                        + "restored the best weights (step %d, val loss %.4f)", step, cfg.patience(), bestStep, bestVal));
                for (Consumer<Step> l : stepListeners) l.accept(done);
                if (eval) for (Consumer<Table> l : evalListeners) l.accept(metrics);
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

    /**
     * Mean loss over {@code evalBatches} validation batches, the same ones every evaluation (a fresh RNG seeded
     * {@code seed ^ 0x5EED}; a sequential source reads from its beginning and is put back where it was), in evaluation
     * mode without gradients.
     */
    public double evaluate() {
        if (job.val() == null) throw new IllegalStateException("Trainer: no validation batches were given");
        Rng rng = new Rng(cfg.seed() ^ 0x5EEDL);
        long position = job.val().position();                    // put back afterwards: the source may also feed training
        job.val().seek(0);
        double sum = 0;
        boolean wasTraining = model.isTraining();
        model.train(false);
        try (var g = Tensor.noGrad()) {
            for (int i = 0; i < cfg.evalBatches(); i++) sum += job.validationLoss(rng, cfg.batch());
        } finally {
            job.val().seek(position);
            if (wasTraining) model.train(true);
        }
        return sum / cfg.evalBatches();
    }

    /** {@link #evaluate()}; {@code T} must be the context of the validation windows (the former signature). */
    @Deprecated
    public double evaluate(int T) {
        if (job.val() instanceof TokenWindows w && w.context() != T)
            throw new IllegalArgumentException("Trainer.evaluate: the validation windows have " + w.context() + " tokens, not " + T);
        return evaluate();
    }

    /**
     * Saves everything needed to resume into one file, atomically ({@link TrainState}); {@code metadata} is
     * stored with it.
     */
    public void save(Path file, Map<String, String> metadata) throws IOException { TrainState.save(file, this, metadata); }

    /** Restores a state saved by {@link #save}, refusing a file that does not fit this model and config. */
    public Map<String, String> resume(Path file) throws IOException { return TrainState.load(file, this); }
}
