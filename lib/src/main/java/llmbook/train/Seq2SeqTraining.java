package llmbook.train;

import java.util.Arrays;
import java.util.List;
import llmbook.data.Batches;
import llmbook.data.ReverseTask;
import llmbook.kernels.Kernels;
import llmbook.model.Seq2SeqModel;
import llmbook.nn.Module;
import llmbook.tensor.Rng;

/**
 * Training and the one metric for every sequence-to-sequence model of chapter 5, so the transformer and the GRU are
 * compared on equal terms: the {@link Trainer} with the reverse task's batches and the model's teacher-forced loss.
 * Q4, Q7.
 */
public final class Seq2SeqTraining {
    private Seq2SeqTraining() {}

    /**
     * Losses, wall time and CPU time of the calling thread for each step (training only, evaluation excluded), and the
     * total wall time. With {@code Kernels.setThreads(1)} all the work runs on the calling thread, so its CPU time is
     * what one idle core would take, whatever else the machine is doing; wall time includes waiting for a core.
     */
    public record Result(float[] losses, double[] stepSeconds, double[] stepCpuSeconds, double seconds) {
        public double secondsPerStep() { return seconds / losses.length; }

        /** The median step time: robust to bursts of load from other processes on a shared machine. */
        public double medianSecondsPerStep() { return median(stepSeconds); }

        /** The median CPU time of a step on the calling thread. */
        public double medianCpuSecondsPerStep() { return median(stepCpuSeconds); }

        private static double median(double[] v) {
            double[] s = v.clone();
            Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }

        /** Mean loss over the last {@code n} steps. */
        public double finalLoss(int n) {
            int k = Math.min(n, losses.length);
            double s = 0;
            for (int i = losses.length - k; i < losses.length; i++) s += losses[i];
            return s / k;
        }
    }

    /**
     * AdamW (β = 0.9, 0.999; no weight decay) with gradient clipping at norm 1, on fresh random batches of {@code batch}
     * drawn from {@code rng}, on the {@link Trainer} with the current kernel thread count. The learning rate warms up
     * over the first 5% of the steps to {@code lr}, then follows a cosine down to {@code lr/10}.
     */
    public static Result train(Seq2SeqModel model, ReverseTask task, int steps, int batch, float lr, Rng rng, String label) {
        if (!(model instanceof Module module))
            throw new IllegalArgumentException("Seq2SeqTraining: " + model.getClass().getSimpleName() + " is not an llmbook.nn.Module, so it cannot be trained");
        TrainConfig cfg = TrainConfig.reference().withSteps(steps).withBatch(batch).withLr(lr).withWarmup(Math.max(1, steps / 20))
                .withWeightDecay(0f).withBetas(0.9f, 0.999f).withClip(1f).withThreads(Kernels.threads());
        float[] losses = new float[steps];
        double[] times = new double[steps], cpu = new double[steps];
        Batches<ReverseTask.Batch> batches = (ignored, n) -> task.batch(rng, n);     // the caller's RNG, as before
        Trainer t = new Trainer(module, cfg, batches, null,
                (ReverseTask.Batch bt) -> model.loss(bt.src(), bt.srcLengths(), bt.tgtIn(), bt.tgtOut(), bt.b(), bt.ts(), bt.tt()));
        t.label(label).onStep(s -> {
            losses[s.step() - 1] = (float) s.loss();
            times[s.step() - 1] = s.seconds();
            cpu[s.step() - 1] = s.cpuSeconds();
        });
        long start = System.nanoTime();
        t.run();
        return new Result(losses, times, cpu, (System.nanoTime() - start) / 1e9);
    }

    /** Fraction of {@code test} sources whose greedy output is exactly the reversed source (decoded in chunks of 100). */
    public static double exactMatch(Seq2SeqModel model, ReverseTask.Batch test) {
        int right = 0, n = test.sources().size();
        for (int from = 0; from < n; from += 100) {
            List<int[]> chunk = test.sources().subList(from, Math.min(n, from + 100));
            ReverseTask.Batch bt = ReverseTask.of(chunk);
            int[][] out = model.greedy(bt.src(), bt.srcLengths(), bt.b(), bt.ts(), ReverseTask.BOS, ReverseTask.EOS, bt.tt());
            for (int i = 0; i < chunk.size(); i++) if (Arrays.equals(out[i], ReverseTask.answer(chunk.get(i)))) right++;
        }
        return (double) right / n;
    }
}
