package llmbook.model.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import llmbook.model.gpt.GptConfig;
import llmbook.nn.AdaptiveSoftmax;
import llmbook.nn.FullSoftmax;
import llmbook.optim.AdamW;
import llmbook.optim.ParamGroup;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

class TransformerLmTest {
    private static final GptConfig CFG = new GptConfig(40, 8, 2, 2, 16, 0f);

    private static int[] ids(long seed, int n) {
        Rng r = new Rng(seed);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = r.nextInt(40);
        return out;
    }

    @Test void untrainedLossIsAboutLnVWithEitherHead() {
        int[] x = ids(1, 2 * 8), y = ids(2, 2 * 8);
        TransformerLm full = new TransformerLm(CFG, new FullSoftmax(16, 40, new Rng(7)), new Rng(7));
        TransformerLm adaptive = new TransformerLm(CFG, new AdaptiveSoftmax(16, 40, new int[] {10, 25}, 2f, new Rng(7)), new Rng(7));
        assertEquals(Math.log(40), full.loss(x, y, 2, 8).item(), 0.05);
        // the adaptive head starts near uniform over its c₀ + k = 12 classes, then over each 15-token cluster:
        // −log p is ln 12 for a shortlist target and ln 12 + ln 15 for a tail target (ln V only for Zipf-like targets)
        double expect = 0;
        for (int t : y) expect += (Math.log(12) + (t >= 10 ? Math.log(15) : 0)) / y.length;
        assertEquals(expect, adaptive.loss(x, y, 2, 8).item(), 0.05);
        assertArrayEquals(new int[] {16, 40}, adaptive.logProbs(x, 2, 8).shape());
    }

    @Test void bothHeadsLearnACopyTask() {
        // the next token equals the current one: a few AdamW steps must bring the loss well below ln V
        for (int variant = 0; variant < 2; variant++) {
            Rng rng = new Rng(3);
            var head = variant == 0 ? new FullSoftmax(16, 40, rng) : new AdaptiveSoftmax(16, 40, new int[] {10, 25}, 2f, rng);
            TransformerLm lm = new TransformerLm(CFG, head, rng);
            AdamW opt = new AdamW(ParamGroup.decayMatricesOnly(lm.namedParameters(), 0f), 2e-2f);
            int[] x = ids(4, 4 * 8);
            float first = 0, last = 0;
            for (int s = 0; s < 25; s++) {
                lm.zeroGrad();
                Tensor loss = lm.loss(x, x, 4, 8);
                loss.backward();
                opt.step();
                if (s == 0) first = loss.item();
                last = loss.item();
            }
            assertTrue(last < 0.3 * first, "variant " + variant + ": loss " + first + " -> " + last);
        }
    }

    @Test void refusesAMismatchedHead() {
        var e = assertThrows(IllegalArgumentException.class, () -> new TransformerLm(CFG, new FullSoftmax(16, 41, new Rng(1)), new Rng(1)));
        assertTrue(e.getMessage().contains("V=41"), e.getMessage());
    }
}
