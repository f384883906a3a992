package llmbook.train;

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
 * evaluation on the validation stream every {@code evalInterval} steps and at the end. Q12, Q18, Q34.
 *
 * <p>Metrics go into a Tablesaw table — step, train loss, val loss (NaN between evaluations), lr,
 * tokens/s, elapsed seconds — which notebooks plot and the CLI writes as CSV. A progress bar shows the
 * loss and speed. Same seed and same thread count give the same losses.
 */
public final class Trainer {
    private final Gpt model;
    private final TrainConfig cfg;
    private final int[] train, val;
    private final Table metrics = Table.create("training",
            IntColumn.create("step"), DoubleColumn.create("train_loss"), DoubleColumn.create("val_loss"),
            DoubleColumn.create("lr"), DoubleColumn.create("tokens_per_s"), DoubleColumn.create("elapsed_s"));

    public Trainer(Gpt model, TrainConfig cfg, int[] trainTokens, int[] valTokens) {
        int need = model.config.context() + 1;
        if (trainTokens.length < need || valTokens.length < need)
            throw new IllegalArgumentException("Trainer: need at least context + 1 = " + need + " tokens in each split, got train "
                    + trainTokens.length + ", validation " + valTokens.length);
        this.model = model;
        this.cfg = cfg;
        this.train = trainTokens;
        this.val = valTokens;
    }

    /** The metrics so far. */
    public Table metrics() { return metrics; }

    /** Runs every step; {@code onEval} sees the metrics table after each evaluation (e.g. to redraw a plot). */
    public Table run(Consumer<Table> onEval) {
        Kernels.setThreads(cfg.threads());
        int T = model.config.context(), B = cfg.batch();
        AdamW opt = new AdamW(ParamGroup.decayMatricesOnly(model.namedParameters(), cfg.weightDecay()), cfg.lr(), cfg.beta1(), cfg.beta2(), 1e-8f);
        LrSchedule schedule = cfg.schedule();
        Rng rng = new Rng(cfg.seed());
        int[] x = new int[B * T], y = new int[B * T];
        long start = System.nanoTime(), windowStart = start;
        int windowSteps = 0;
        model.train();
        try (Progress bar = Progress.of("training", cfg.steps())) {
            for (int step = 0; step < cfg.steps(); step++) {
                if (Thread.currentThread().isInterrupted()) throw new IllegalStateException("training interrupted at step " + step);
                sample(train, rng, x, y, B, T);
                float lr = schedule.lr(step);
                opt.setLr(lr);
                model.zeroGrad();
                Tensor loss = model.loss(x, y, B, T);
                loss.backward();
                GradClip.clipGlobalNorm(opt.params(), cfg.clip());
                opt.step();
                loss.releaseGraph();                   // this step's activations and gradients serve the next step
                windowSteps++;
                boolean eval = (step + 1) % cfg.evalInterval() == 0 || step + 1 == cfg.steps();
                double now = System.nanoTime();
                double tps = windowSteps * (double) B * T / ((now - windowStart) / 1e9);
                double valLoss = eval ? evaluate(T) : Double.NaN;
                if (eval) { windowStart = System.nanoTime(); windowSteps = 0; }
                metrics.intColumn("step").append(step + 1);
                metrics.doubleColumn("train_loss").append(loss.item());
                metrics.doubleColumn("val_loss").append(valLoss);
                metrics.doubleColumn("lr").append(lr);
                metrics.doubleColumn("tokens_per_s").append(tps);
                metrics.doubleColumn("elapsed_s").append((now - start) / 1e9);
                bar.message("loss %.3f%s, %,.0f tok/s", loss.item(), eval ? String.format(", val %.3f", valLoss) : "", tps);
                bar.step();
                if (eval) bar.note(String.format("step %d: train loss %.4f, val loss %.4f (perplexity %.2f), %,.0f tokens/s",
                        step + 1, loss.item(), valLoss, Math.exp(valLoss), tps));
                if (eval && onEval != null) onEval.accept(metrics);
            }
        }
        return metrics;
    }

    /** Mean loss over {@code evalBatches} validation batches at fixed offsets (the same every evaluation). */
    public double evaluate(int T) {
        int B = cfg.batch();
        Rng rng = new Rng(cfg.seed() ^ 0x5EEDL);
        int[] x = new int[B * T], y = new int[B * T];
        double sum = 0;
        model.eval();
        try (var g = Tensor.noGrad()) {
            for (int i = 0; i < cfg.evalBatches(); i++) {
                sample(val, rng, x, y, B, T);
                sum += model.loss(x, y, B, T).item();
            }
        } finally {
            model.train();
        }
        return sum / cfg.evalBatches();
    }

    /** Fills x with B random windows of T tokens and y with the same windows shifted by one. */
    static void sample(int[] tokens, Rng rng, int[] x, int[] y, int B, int T) {
        for (int b = 0; b < B; b++) {
            int o = rng.nextInt(tokens.length - T);
            System.arraycopy(tokens, o, x, b * T, T);
            System.arraycopy(tokens, o + 1, y, b * T, T);
        }
    }
}
