package llmbook.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import llmbook.data.ReverseTask;
import llmbook.optim.AdamW;
import llmbook.optim.GradClip;
import llmbook.optim.ParamGroup;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import llmbook.train.LrSchedule;
import llmbook.util.Progress;

/**
 * The one training loop and the one metric used for every sequence-to-sequence model of chapter 5, so the transformer
 * and the GRU are compared on equal terms. Q4, Q7.
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
     * AdamW (no weight decay) with gradient clipping at norm 1, on fresh random batches of {@code batch}. The learning rate
     * warms up over the first 5% of the steps to {@code lr}, then follows a cosine down to {@code lr/10}.
     */
    public static Result train(Seq2SeqModel model, ReverseTask task, int steps, int batch, float lr, Rng rng, String label) {
        List<Tensor> params = new ArrayList<>(model.parameters());
        var opt = new AdamW(List.of(new ParamGroup(params, 0f)), lr);
        var schedule = new LrSchedule(lr, lr / 10, Math.max(1, steps / 20), steps);
        float[] losses = new float[steps];
        double[] times = new double[steps], cpu = new double[steps];
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        model.setTraining(true);
        long start = System.nanoTime();
        try (var p = Progress.of(label, steps)) {
            for (int step = 0; step < steps; step++) {
                long t0 = System.nanoTime(), c0 = mx.getCurrentThreadCpuTime();
                opt.setLr(schedule.lr(step));
                ReverseTask.Batch bt = task.batch(rng, batch);
                Tensor loss = model.loss(bt.src(), bt.srcLengths(), bt.tgtIn(), bt.tgtOut(), bt.b(), bt.ts(), bt.tt());
                opt.zeroGrad();
                loss.backward();
                GradClip.clipGlobalNorm(params, 1.0);
                opt.step();
                losses[step] = loss.item();
                times[step] = (System.nanoTime() - t0) / 1e9;
                cpu[step] = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
                p.step();
                if (step % 20 == 0) p.message("loss %.3f", losses[step]);
            }
        }
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
