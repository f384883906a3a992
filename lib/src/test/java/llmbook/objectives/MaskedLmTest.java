package llmbook.objectives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
        m.pairMeanPooled(true);
        GradCheck.Report mean = GradCheck.check(in -> m.pairLogits(in[0], new int[] {2, 3}), h);
        assertTrue(mean.ok(), mean.toString());
    }

    @Test
    void meanPooledPairHeadReadsOnlyTheRealTokens() {
        MaskedLm m = new MaskedLm(config(12), new Rng(1)).pairMeanPooled(true);
        Tensor h = Tensor.randn(new Rng(2), 1, 3, 16);
        float[] changed = h.toArray().clone();
        for (int c = 0; c < 16; c++) changed[2 * 16 + c] += 5f;                       // position 2 is padding
        float[] z1 = m.pairLogits(h, new int[] {2}).toArray(), z2 = m.pairLogits(Tensor.wrap(changed, 1, 3, 16), new int[] {2}).toArray();
        assertArrayEquals(z1, z2, 0f, "padding must not move the mean");
        float[] cls = m.pairMeanPooled(false).pairLogits(h).toArray();
        assertTrue(Math.abs(cls[0] - z1[0]) > 1e-4, "mean pooling is not the [CLS] state");
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

    /**
     * A 24-word Markov chain: each word is followed by its successor under a fixed permutation 90% of the time, by a
     * uniformly random word otherwise. Word frequencies are flat (unigram top-1 ≈ 1/24), but a blank is given away by
     * its left neighbour (and by its right one, through the inverse permutation).
     */
    static String markovChain(int words, int length, long seed) {
        Rng r = new Rng(seed);
        int[] next = new int[words];
        for (int i = 0; i < words; i++) next[i] = i;
        r.shuffle(next);
        StringBuilder b = new StringBuilder();
        for (int i = 0, w = 0; i < length; i++) {
            w = i == 0 ? 0 : r.nextDouble() < 0.9 ? next[w] : r.nextInt(words);
            b.append((char) ('a' + w)).append((char) ('a' + w)).append(' ');
        }
        return b.toString();
    }

    @Test
    void beatsUnigramOnAMarkovChain() {
        // the chapter-10 plateau: an encoder that never learns to attend to its neighbours predicts word frequencies
        // only. The GPT recipe (learned positions, N(0, 0.02) weights) is still near 0.15 top-1 after these 200 steps;
        // MaskedLm.config must get the blanks from their context
        String text = markovChain(24, 4000, 42);
        WordVocab v = WordVocab.fit(text, 100);
        int[] stream = v.encode(text);
        int T = 16;
        MaskedLm m = new MaskedLm(MaskedLm.config(v.size(), T, 1, 32), new Rng(3));
        Masking blanks = new Masking(0.15, 1, 0, false);
        FillIn.Score before = FillIn.encoderMasked(m, v, stream, T, blanks, 64, 9);
        new Trainer(m, TrainConfig.reference().withSteps(200).withLr(1e-2f).withWarmup(10).withBatch(16).withThreads(1).withEvalInterval(200),
                new MlmBatches(stream, T, Masking.bert(), v), null, m::loss).run();
        FillIn.Score after = FillIn.encoderMasked(m, v, stream, T, blanks, 64, 9);
        FillIn.Score unigram = FillIn.unigram(stream, v, stream, T, blanks, 64, 9);
        assertEquals(after.n(), unigram.n(), "the baseline scores the same blanks");
        assertTrue(unigram.top1() < 0.15 && Math.abs(unigram.nll() - Math.log(24)) < 0.2, "flat frequencies: unigram near 1/24 and ln 24, got " + unigram);
        assertTrue(before.top1() < 0.15, "untrained: near the unigram 1/24, got " + before);
        assertTrue(after.top1() > unigram.top1() + 0.4, "trained: the blanks come from their neighbours, far above unigram: " + unigram + " vs " + before + " → " + after);
        assertTrue(after.nll() < Math.log(24) - 1.0, "NLL well below the unigram's ln 24 = 3.18: " + after);
    }

    @Test
    void fitsOneFixedBatch() {
        // the first check when a model will not learn: one batch, seen again and again, must be memorised. The
        // head, the tied table, the mask and the optimizer can then be trusted; a plateau is a matter of setup
        String text = markovChain(24, 400, 5);
        WordVocab v = WordVocab.fit(text, 100);
        MaskedLm m = new MaskedLm(MaskedLm.config(v.size(), 16, 1, 32), new Rng(1));
        MlmBatch fixed = new MlmBatches(v.encode(text), 16, Masking.bert(), v).next(new Rng(5), 8);
        double first = m.loss(fixed).item();
        var run = new Trainer(m, TrainConfig.reference().withSteps(100).withLr(3e-3f).withWarmup(10).withBatch(8).withThreads(1).withEvalInterval(100),
                (rng, size) -> fixed, null, m::loss).run();
        double last = run.doubleColumn("train_loss").get(run.rowCount() - 1);
        assertTrue(first > 2.5 && last < 0.1, "one batch memorised: loss " + first + " → " + last);
    }

    @Test
    void copyFromTakesTheSharedWeightsOnly() {
        MaskedLm mlm = new MaskedLm(MaskedLm.config(12, 16, 1, 16), new Rng(1));
        MaskedLm pair = new MaskedLm(MaskedLm.config(12, 32, 1, 16).toBuilder().typeVocab(2).build(), new Rng(2));
        float[] types = pair.namedParameters().get("bert.wtt.weight").toArray();
        int n = pair.copyFrom(mlm);
        assertEquals(mlm.namedParameters().size(), n, "rotary positions: no table, so every tensor of the MLM model fits");
        assertEquals(java.util.Arrays.toString(mlm.namedParameters().get("bert.h.0.attn.q.weight").toArray()),
                java.util.Arrays.toString(pair.namedParameters().get("bert.h.0.attn.q.weight").toArray()));
        assertEquals(java.util.Arrays.toString(types), java.util.Arrays.toString(pair.namedParameters().get("bert.wtt.weight").toArray()), "the new segment table is kept");
        double sd = 0;
        for (float t : types) sd += t * t;
        assertTrue(Math.sqrt(sd / types.length) > 0.5, "under CLASSIC init the segment table is at the token rows' unit scale");
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
