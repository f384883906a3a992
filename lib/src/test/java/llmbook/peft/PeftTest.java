package llmbook.peft;

import static org.junit.jupiter.api.Assertions.*;

import llmbook.autograd.GradCheck;
import llmbook.model.TestModels;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import llmbook.train.TrainConfig;
import llmbook.train.Trainer;
import org.junit.jupiter.api.Test;

class PeftTest {
    static final TransformerConfig CFG = TestModels.gpt(7, 8, 1, 2, 8, 0f);

    @Test
    void bitFitTrainsTheBiasesOnly() {
        Decoder d = new Decoder(CFG, new Rng(1));
        long n = Peft.bitFit(d);
        // q, k, v, o (8 each), w1 (32), w2 (8), ln_1, ln_2, ln_f biases (8 each)
        assertEquals(4 * 8 + 32 + 8 + 3 * 8, n);
        assertEquals(n, d.numTrainable());
        assertTrue(d.namedParameters().get("h.0.attn.q.bias").requiresGrad());
        assertFalse(d.namedParameters().get("h.0.attn.q.weight").requiresGrad());
        assertThrows(IllegalArgumentException.class, () -> Peft.bitFit(new Decoder(CFG.withBias(false).withNorm(TransformerConfig.Norm.RMS_NORM), new Rng(1))));
    }

    @Test
    void aPrefixOfTokenEmbeddingsIsTheSameAsThoseTokens() {
        // a prompt that equals wte rows of some tokens must give the logits of those tokens followed by the text
        Decoder d = new Decoder(CFG, new Rng(1));
        d.eval();
        int[] pre = {3, 5}, ids = {1, 2, 4, 6, 0, 1}, both = {3, 5, 1, 2, 4, 6, 0, 1};
        float[] w = d.namedParameters().get("wte.weight").data();
        Tensor prefix = Tensor.zeros(2, 8);
        for (int i = 0; i < 2; i++) System.arraycopy(w, pre[i] * 8, prefix.data(), i * 8, 8);
        float[] got = d.logits(prefix, ids, 1, 6).toArray();
        float[] want = d.logits(both, 1, 8).slice(1, 2, 8).contiguous().toArray();
        assertArrayEquals(want, got, 1e-5f);
        var e = assertThrows(IllegalArgumentException.class, () -> d.logits(Tensor.zeros(3, 8), new int[7], 1, 7));
        assertTrue(e.getMessage().contains("context window is only 8"), e.getMessage());
    }

    @Test
    void promptTuningTrainsThePromptOnlyAndItsGradientChecks() {
        Decoder d = new Decoder(CFG, new Rng(1));
        float[] w = d.namedParameters().get("h.0.attn.q.weight").toArray();
        PromptTuning pt = new PromptTuning(d, 3, new Rng(2));
        assertEquals(3 * 8, pt.numTrainable());
        assertEquals(5, pt.context());
        int[] ids = {1, 2, 3, 4, 5};
        var rep = GradCheck.check(in -> pt.logits(ids, 1, 5), pt.prompt);
        assertTrue(rep.ok(), rep.toString());
        int[] text = new int[120];
        for (int i = 0; i < text.length; i++) text[i] = (i * 3) % 7;
        TrainConfig c = TrainConfig.reference().withSteps(8).withBatch(2).withLr(1e-2f).withWarmup(1).withEvalInterval(8).withEvalBatches(1).withThreads(1);
        float[] p0 = pt.prompt.toArray();
        new Trainer(pt, c, text, text).run();
        assertArrayEquals(w, d.namedParameters().get("h.0.attn.q.weight").toArray(), "the decoder is frozen");
        assertFalse(java.util.Arrays.equals(p0, pt.prompt.toArray()), "the prompt moved");
    }
}
