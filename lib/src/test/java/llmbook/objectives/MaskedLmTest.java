package llmbook.objectives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import llmbook.autograd.GradCheck;
import llmbook.model.transformer.TransformerConfig;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import llmbook.train.TrainConfig;
import llmbook.train.Trainer;
import org.junit.jupiter.api.Test;

/** The small BERT's heads (Q25, Q27): gradients by finite differences, tying, and learning a toy stream. */
class MaskedLmTest {
    static TransformerConfig config(int vocab) {
        return TransformerConfig.small(TransformerConfig.Arch.ENCODER, vocab, 16).toBuilder().layers(1).heads(2).width(16).hidden(32)
                .positions(TransformerConfig.Positions.LEARNED).init(TransformerConfig.InitScheme.GPT2).typeVocab(2).build();
    }

    @Test
    void headsPassTheGradientCheck() {
        MaskedLm m = new MaskedLm(config(12), new Rng(1));
        Tensor h = Tensor.randn(new Rng(2), 2, 3, 16).requiresGrad(true);
        GradCheck.Report mlm = GradCheck.check(in -> m.mlmLogits(in[0], new int[] {1, 4, 5}), h);
        assertTrue(mlm.ok(), mlm.toString());
        GradCheck.Report pair = GradCheck.check(in -> m.pairLogits(in[0]), h);
        assertTrue(pair.ok(), pair.toString());
    }

    @Test
    void wholeLossGradientReachesTheAttentionWeightsCorrectly() {
        // the slow start of MLM training (the unigram plateau of chapter 10) is not a wrong gradient: the loss of a real
        // masked batch, differentiated through the encoder, matches finite differences for q, k, v and the positions
        WordVocab v = WordVocab.fit("a b c d e f g h", 20);
        int[] stream = v.encode("a b c d e f g h ".repeat(10));
        TransformerConfig cfg = config(v.size()).toBuilder().context(8).typeVocab(0).init(TransformerConfig.InitScheme.CLASSIC).build();
        MaskedLm m = new MaskedLm(cfg, new Rng(3));
        MlmBatch b = new MlmBatches(stream, 8, new Masking(0.3, 1, 0, false), v).next(new Rng(2), 3);
        for (String n : new String[] {"bert.h.0.attn.q.weight", "bert.h.0.attn.k.weight", "bert.h.0.attn.v.weight", "bert.wpe.weight"}) {
            GradCheck.Report r = GradCheck.check(in -> m.loss(b), m.namedParameters().get(n));
            assertTrue(r.ok(), n + ": " + r);
        }
    }

    @Test
    void outputIsTiedToTheTokenTable() {
        MaskedLm m = new MaskedLm(config(12), new Rng(1));
        assertEquals(m.bert.namedParameters().get("wte.weight"), m.namedParameters().get("bert.wte.weight"));
        long head = m.numParameters() - m.bert.numParameters();
        assertEquals((16 * 16 + 16) + 2 * 16 + 12 + (16 * 16 + 16) + (16 * 2 + 2), head, "MLM dense + LN + output bias + pooler + pair layer, no V×C matrix");
    }

    @Test
    void learnsAPeriodicStreamThroughTheTrainer() {
        WordVocab v = WordVocab.fit("a b c d e f g h", 20);
        int[] stream = v.encode("a b c d e f g h ".repeat(60));
        MaskedLm m = new MaskedLm(config(v.size()), new Rng(3));
        FillIn.Score before = FillIn.encoder(m, v, stream, 16, 8, 64, 9);
        new Trainer(m, TrainConfig.reference().withSteps(100).withLr(3e-3f).withWarmup(10).withBatch(8).withThreads(1).withEvalInterval(100),
                new MlmBatches(stream, 16, Masking.bert(), v), null, m::loss).run();
        FillIn.Score after = FillIn.encoder(m, v, stream, 16, 8, 64, 9);
        assertTrue(after.nll() < before.nll() - 0.3, "the MLM loss on masked letters falls: " + before + " → " + after);
        assertTrue(after.top5() > before.top5(), "top-5 improves: " + before + " → " + after);
    }
}
