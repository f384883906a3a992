package llmbook.model.transformer;

import java.util.List;
import llmbook.data.Corpus;
import llmbook.model.gpt.Gpt;
import llmbook.model.gpt.GptConfig;
import llmbook.optim.AdamW;
import llmbook.optim.GradClip;
import llmbook.optim.ParamGroup;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import llmbook.tokenizer.CharTokenizer;

/**
 * Dev-time check: the first GPT and the Decoder's gpt2 preset, same seed, trained side by side on Moby Dick
 * characters (B=16, T=128, AdamW 1e-3, clip 1.0) for N steps; prints both losses every 25 steps and the largest gap.
 * {@code java -cp ... llmbook.model.transformer.CurveCheck [steps]}.
 */
public final class CurveCheck {
    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 200, B = 16, T = 128;
        Corpus moby = Corpus.load("moby-dick");
        CharTokenizer tok = CharTokenizer.fit(moby.train());
        int[] ids = tok.encode(moby.train());
        int V = tok.vocabSize();
        Gpt gpt = new Gpt(GptConfig.reference(V), new Rng(1337));
        Decoder dec = new Decoder(TransformerConfig.gpt2(V), new Rng(1337));
        AdamW oa = new AdamW(ParamGroup.decayMatricesOnly(gpt.namedParameters(), 0.1f), 1e-3f, 0.9f, 0.99f, 1e-8f);
        AdamW ob = new AdamW(ParamGroup.decayMatricesOnly(dec.namedParameters(), 0.1f), 1e-3f, 0.9f, 0.99f, 1e-8f);
        Rng data = new Rng(7);
        double worst = 0;
        for (int s = 1; s <= steps; s++) {
            int[] x = new int[B * T], y = new int[B * T];
            for (int b = 0; b < B; b++) {
                int o = data.nextInt(ids.length - T - 1);
                System.arraycopy(ids, o, x, b * T, T);
                System.arraycopy(ids, o + 1, y, b * T, T);
            }
            float la = step(oa, gpt.loss(x, y, B, T)), lb = step(ob, dec.loss(x, y, B, T));
            worst = Math.max(worst, Math.abs(la - lb));
            if (s % 25 == 0 || s == 1) System.out.printf("step %4d  Gpt %.5f  Decoder(gpt2) %.5f  |diff| %.2e%n", s, la, lb, Math.abs(la - lb));
        }
        System.out.printf("largest |loss difference| over %d steps: %.2e%n", steps, worst);
    }

    static float step(AdamW opt, Tensor loss) {
        opt.zeroGrad();
        loss.backward();
        GradClip.clipGlobalNorm(opt.params(), 1.0);
        opt.step();
        float l = loss.item();
        loss.releaseGraph();
        return l;
    }
}
