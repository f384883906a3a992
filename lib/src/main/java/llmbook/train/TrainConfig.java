package llmbook.train;

/**
 * How to train. The reference run's settings are {@link #reference()}: batch 16, AdamW lr 1e-3, β = (0.9, 0.99),
 * weight decay 0.1 on matrices, 100 warm-up steps then cosine to lr/10 at the last step, gradient clipping at
 * global norm 1.0, evaluation every 250 steps on 20 validation batches, seed 1337. Change what differs with the
 * withers — {@code TrainConfig.reference().withSteps(500).withLr(3e-3f).withBatch(32)} — each value is checked,
 * with the field named, as the config is made.
 *
 * @param accumulate micro-batches per optimizer step (gradient accumulation): each step averages the gradients
 *                   of {@code accumulate} batches of {@code batch} sequences, as one batch of
 *                   {@code accumulate·batch} would, in the memory of one. Q16.
 * @param patience   early stopping: stop after this many evaluations in a row without a new best validation loss
 *                   and put the best weights back (0 = never stop early). Q16.
 */
public record TrainConfig(int steps, int batch, float lr, int warmup, float weightDecay, float beta1, float beta2,
                          float clip, int evalInterval, int evalBatches, long seed, int threads, int accumulate, int patience) {
    public TrainConfig {
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        if (!(lr > 0)) throw new IllegalArgumentException("lr must be > 0, got " + lr);
        if (warmup < 0 || warmup > steps) throw new IllegalArgumentException("warmup must be in [0, steps=" + steps + "], got " + warmup);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1))
            throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
        if (!(clip > 0)) throw new IllegalArgumentException("clip must be > 0, got " + clip);
        if (evalInterval < 1) throw new IllegalArgumentException("eval interval must be >= 1, got " + evalInterval);
        if (evalBatches < 1) throw new IllegalArgumentException("eval batches must be >= 1, got " + evalBatches);
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (accumulate < 1) throw new IllegalArgumentException("accumulate must be >= 1, got " + accumulate);
        if (patience < 0) throw new IllegalArgumentException("patience must be >= 0 (0 = no early stopping), got " + patience);
    }

    /** Positional form without accumulation or early stopping. */
    @Deprecated
    public TrainConfig(int steps, int batch, float lr, int warmup, float weightDecay, float beta1, float beta2,
                       float clip, int evalInterval, int evalBatches, long seed, int threads) {
        this(steps, batch, lr, warmup, weightDecay, beta1, beta2, clip, evalInterval, evalBatches, seed, threads, 1, 0);
    }

    /**
     * The reference run; change what differs with the withers, which check each value as the record does:
     * <pre>{@code
     * TrainConfig c = TrainConfig.reference().withSteps(500).withLr(3e-3f).withBatch(32).withSeed(7).withThreads(2);
     * }</pre>
     */
    public static TrainConfig reference() {
        return new TrainConfig(2000, 16, 1e-3f, 100, 0.1f, 0.9f, 0.99f, 1.0f, 250, 20, 1337L,
                Runtime.getRuntime().availableProcessors(), 1, 0);
    }

    /** This config with another step count; the warm-up is capped at it (reference warm-up 100, 60 steps → 60). */
    public TrainConfig withSteps(int steps) {
        return new TrainConfig(steps, batch, lr, Math.min(warmup, steps), weightDecay, beta1, beta2, clip, evalInterval, evalBatches, seed, threads,
                accumulate, patience);
    }

    /** Sequences per micro-batch. */
    public TrainConfig withBatch(int batch) {
        return new TrainConfig(steps, batch, lr, warmup, weightDecay, beta1, beta2, clip, evalInterval, evalBatches, seed, threads, accumulate, patience);
    }

    /** Peak learning rate (the schedule decays to a tenth of it). */
    public TrainConfig withLr(float lr) {
        return new TrainConfig(steps, batch, lr, warmup, weightDecay, beta1, beta2, clip, evalInterval, evalBatches, seed, threads, accumulate, patience);
    }

    /** Warm-up steps (at most the step count). */
    public TrainConfig withWarmup(int warmup) {
        return new TrainConfig(steps, batch, lr, warmup, weightDecay, beta1, beta2, clip, evalInterval, evalBatches, seed, threads, accumulate, patience);
    }

    /** AdamW weight decay on matrices (biases and norm gains never decay). */
    public TrainConfig withWeightDecay(float weightDecay) {
        return new TrainConfig(steps, batch, lr, warmup, weightDecay, beta1, beta2, clip, evalInterval, evalBatches, seed, threads, accumulate, patience);
    }

    /** AdamW's β1 and β2. */
    public TrainConfig withBetas(float beta1, float beta2) {
        return new TrainConfig(steps, batch, lr, warmup, weightDecay, beta1, beta2, clip, evalInterval, evalBatches, seed, threads, accumulate, patience);
    }

    /** Global gradient-norm clipping threshold. */
    public TrainConfig withClip(float clip) {
        return new TrainConfig(steps, batch, lr, warmup, weightDecay, beta1, beta2, clip, evalInterval, evalBatches, seed, threads, accumulate, patience);
    }

    /** Steps between evaluations (there is always one after the last step). */
    public TrainConfig withEvalInterval(int evalInterval) {
        return new TrainConfig(steps, batch, lr, warmup, weightDecay, beta1, beta2, clip, evalInterval, evalBatches, seed, threads, accumulate, patience);
    }

    /** Validation batches per evaluation. */
    public TrainConfig withEvalBatches(int evalBatches) {
        return new TrainConfig(steps, batch, lr, warmup, weightDecay, beta1, beta2, clip, evalInterval, evalBatches, seed, threads, accumulate, patience);
    }

    /** Seed of the batch RNG (and of the evaluation offsets). */
    public TrainConfig withSeed(long seed) {
        return new TrainConfig(steps, batch, lr, warmup, weightDecay, beta1, beta2, clip, evalInterval, evalBatches, seed, threads, accumulate, patience);
    }

    /** This config on {@code threads} kernel threads. */
    public TrainConfig withThreads(int threads) {
        return new TrainConfig(steps, batch, lr, warmup, weightDecay, beta1, beta2, clip, evalInterval, evalBatches, seed, threads, accumulate, patience);
    }

    /** This config with {@code accumulate} micro-batches per step. */
    public TrainConfig withAccumulate(int accumulate) {
        return new TrainConfig(steps, batch, lr, warmup, weightDecay, beta1, beta2, clip, evalInterval, evalBatches, seed, threads, accumulate, patience);
    }

    /** This config with early stopping after {@code patience} evaluations without improvement (0 = off). */
    public TrainConfig withPatience(int patience) {
        return new TrainConfig(steps, batch, lr, warmup, weightDecay, beta1, beta2, clip, evalInterval, evalBatches, seed, threads, accumulate, patience);
    }

    /** The schedule these settings imply: warm-up, then cosine to lr/10 at the last step. */
    public LrSchedule schedule() {
        return new LrSchedule(lr, lr / 10, warmup, steps);
    }
}
