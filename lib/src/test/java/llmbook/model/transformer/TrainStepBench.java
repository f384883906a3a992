package llmbook.model.transformer;

import java.util.Arrays;
import java.util.function.Supplier;
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

    static double median(Module model, Lm lm, int steps) {
        AdamW opt = new AdamW(ParamGroup.decayMatricesOnly(model.namedParameters(), 0.1f), 1e-3f, 0.9f, 0.99f, 1e-8f);
        var params = opt.params();
        Rng rng = new Rng(7);
        int[] x = new int[B * T], y = new int[B * T];
        for (int i = 0; i < x.length; i++) { x[i] = rng.nextInt(V); y[i] = rng.nextInt(V); }
        double[] s = new double[steps];
        for (int k = -3; k < steps; k++) {
            long t0 = System.nanoTime();
            opt.zeroGrad();
            Tensor loss = lm.loss(x, y, B, T);
            loss.backward();
            GradClip.clipGlobalNorm(params, 1.0);
            opt.step();
            loss.releaseGraph();
            if (k >= 0) s[k] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(s);
        return s[steps / 2];
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        for (int threads : new int[] {1, 2}) {
            Kernels.setThreads(threads);
            Gpt gpt = new Gpt(GptConfig.reference(V), new Rng(1337));
            Decoder g2 = new Decoder(TransformerConfig.gpt2(V), new Rng(1337));
            Decoder ll = new Decoder(TransformerConfig.llama(V), new Rng(1337));
            double a = median(gpt, gpt::loss, steps), b = median(g2, g2::loss, steps), c = median(ll, ll::loss, steps);
            System.out.printf("threads %d: Gpt %.3f s/step (%,.0f tok/s) | Decoder gpt2 %.3f s (%,.0f tok/s, %.2fx Gpt) | Decoder llama %.3f s (%,.0f tok/s, %.2fx gpt2)%n",
                    threads, a, B * T / a, b, B * T / b, a / b, c, B * T / c, b / c);
        }
    }
}
