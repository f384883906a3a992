package llmbook.objectives;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import llmbook.tensor.Rng;
import llmbook.train.TrainConfig;
import llmbook.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * The pair head on [CLS] must learn a task that is trivially separable (Q27). Four documents with disjoint words: an
 * NSP negative takes its second sentence from another document, so the words alone give the label away.
 */
class PairHeadTest {
    static String word(int i) { return "" + (char) ('a' + i / 8) + (char) ('a' + i % 8) + "x"; }

    static WordVocab vocab() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 40; i++) s.append(word(i)).append(' ');
        return WordVocab.fit(s.toString(), 100);
    }

    /** 4 documents of 30 sentences (3 to 6 words), document d using only words 10d … 10d + 9. */
    static List<List<int[]>> topicDocs(WordVocab v, long seed) {
        Rng r = new Rng(seed);
        List<List<int[]>> docs = new ArrayList<>();
        for (int d = 0; d < 4; d++) {
            List<int[]> s = new ArrayList<>();
            for (int k = 0; k < 30; k++) {
                StringBuilder b = new StringBuilder();
                int n = 3 + r.nextInt(4);
                for (int j = 0; j < n; j++) b.append(word(d * 10 + r.nextInt(10))).append(' ');
                s.add(v.encode(b.toString()));
            }
            docs.add(s);
        }
        return docs;
    }

    /**
     * NSP accuracy on fresh documents after 300 steps of MLM + 5 × NSP (the notebook's setting); {@code bertHeadInit}:
     * pooler and classifier N(0, 0.02). With weight 1 the same runs reached only 0.46 / 0.73 / 0.81 (seeds 3 / 4 / 5):
     * early on the [CLS] state barely varies between inputs and the MLM gradient dominates the shared encoder.
     */
    static double nspAccuracy(boolean bertHeadInit) { return nspAccuracy(bertHeadInit, true, 300, 3, 5f); }

    static double nspAccuracy(boolean bertHeadInit, boolean mlm, int steps, long seed, float w) {
        WordVocab v = vocab();
        SentencePairs train = new SentencePairs(topicDocs(v, 1), v.cls, v.sep, 16), test = new SentencePairs(topicDocs(v, 2), v.cls, v.sep, 16);
        MaskedLm m = new MaskedLm(MaskedLm.config(v.size(), 16, 1, 32).toBuilder().typeVocab(2).build(), new Rng(seed)).pairWeight(w);
        if (bertHeadInit) {
            Rng r = new Rng(7);
            for (String k : List.of("pooler.weight", "pair.weight")) {
                float[] d = m.namedParameters().get(k).data();
                for (int i = 0; i < d.length; i++) d[i] = (float) (0.02 * r.nextGaussian());
            }
        }
        new Trainer(m, TrainConfig.reference().withSteps(steps).withLr(3e-3f).withWarmup(10).withBatch(16).withThreads(1).withEvalInterval(150),
                train.batches(SentencePairs.Task.NSP, mlm ? Masking.bert() : null, v), null, m::loss).run();
        return m.pairAccuracy(test.batches(SentencePairs.Task.NSP, null, v), 8, 32, 9);
    }

    @Test
    void learnsASeparableTaskFromCls() {
        double acc = nspAccuracy(false);
        assertTrue(acc > 0.9, "the words give the NSP label away: the [CLS] head must learn it, got " + acc);
    }

    @Test
    void bertHeadInitStaysAtChanceUnderClassicInit() {
        // the Q27 bug, kept as a regression record: BERT's N(0, 0.02) pooler and classifier on this CLASSIC-init
        // encoder sit at the saddle (loss ln 2) — the same run as above stays at chance
        double acc = nspAccuracy(true);
        assertTrue(Math.abs(acc - 0.5) < 0.1, "N(0, 0.02) pair head: expected chance, got " + acc);
    }
}
