package llmbook.model.transformer;

import java.util.Arrays;
import llmbook.kernels.Kernels;
import llmbook.model.gpt.Gpt;
import llmbook.model.gpt.GptConfig;
import llmbook.nn.Module;
import llmbook.optim.AdamW;
import llmbook.optim.GradClip;
import llmbook.optim.ParamGroup;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * Seconds per training step (forward, loss, backward, clip, AdamW) at B=16, T=128, vocab 65, as in cli/BenchTrain:
 * the old {@link Gpt} against the {@link Decoder} gpt2 and llama presets, at 1 and 2 threads. A dev-time measurement:
 * {@code java -cp ... llmbook.model.transformer.TrainStepBench [steps]}.
 */
public final class TrainStepBench {
    static final int B = 16, T = 128, V = 65;

    interface Lm { Tensor loss(int[] x, int[] y, int b, int t); }

    /** One training step of {@code model}, timed by the caller. */
    static Runnable step(Module model, Lm lm) {
        AdamW opt = new AdamW(ParamGroup.decayMatricesOnly(model.namedParameters(), 0.1f), 1e-3f, 0.9f, 0.99f, 1e-8f);
        var params = opt.params();
        Rng rng = new Rng(7);
        int[] x = new int[B * T], y = new int[B * T];
        for (int i = 0; i < x.length; i++) { x[i] = rng.nextInt(V); y[i] = rng.nextInt(V); }
        return () -> {
            opt.zeroGrad();
            Tensor loss = lm.loss(x, y, B, T);
            loss.backward();
            GradClip.clipGlobalNorm(params, 1.0);
            opt.step();
            loss.releaseGraph();
        };
    }

    /** Median seconds per step of each, the steps interleaved round-robin so a busy machine slows all of them alike. */
    static double[] medians(int steps, Runnable... runs) {
        double[][] s = new double[runs.length][steps];
        for (int k = -2; k < steps; k++)
            for (int m = 0; m < runs.length; m++) {
                long t0 = System.nanoTime();
                runs[m].run();
                if (k >= 0) s[m][k] = (System.nanoTime() - t0) / 1e9;
            }
        double[] out = new double[runs.length];
        for (int m = 0; m < runs.length; m++) { Arrays.sort(s[m]); out[m] = s[m][steps / 2]; }
        return out;
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        for (int threads : new int[] {1, 2}) {
            Kernels.setThreads(threads);
            Gpt gpt = new Gpt(GptConfig.reference(V), new Rng(1337));
            Decoder g2 = new Decoder(TransformerConfig.gpt2(V), new Rng(1337));
            Decoder ll = new Decoder(TransformerConfig.llama(V), new Rng(1337));
            double[] m = medians(steps, step(gpt, gpt::loss), step(g2, g2::loss), step(ll, ll::loss));
            double a = m[0], b = m[1], c = m[2];
            System.out.printf("threads %d: Gpt %.3f s/step (%,.0f tok/s) | Decoder gpt2 %.3f s (%,.0f tok/s, %.2fx Gpt) | Decoder llama %.3f s (%,.0f tok/s, %.2fx gpt2)%n",
                    threads, a, B * T / a, b, B * T / b, a / b, c, B * T / c, b / c);
        }
    }
}
