package llmbook.exercises.ch13;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import llmbook.align.Dpo;
import llmbook.align.PreferencePair;
import llmbook.align.Rollouts;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import llmbook.train.TrainConfig;
import llmbook.train.Trainer;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch13.sequence_dpo", title = "DPO for a real model, trained by the Trainer")
class SequenceDpoTest {
    static Decoder tiny(long seed) {
        return new Decoder(TransformerConfig.gpt2(6).toBuilder().layers(1).heads(2).width(16).hidden(32).context(16).build(), new Rng(seed));
    }

    static List<PreferencePair> pairs(int n, long seed) {
        Rng r = new Rng(seed);
        List<PreferencePair> ps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] p = {r.nextInt(6), r.nextInt(6), r.nextInt(6)}, c = new int[5], w = new int[5];
            for (int t = 0; t < 5; t++) { c[t] = r.nextFloat() < 0.8f ? 4 : r.nextInt(6); w[t] = r.nextFloat() < 0.8f ? 5 : r.nextInt(6); }
            ps.add(new PreferencePair(p, c, w, 1, 0));
        }
        return ps;
    }

    @Test
    @Points(value = 2, hint = "logits at position t predict token t+1: the completion's first token is predicted at promptLen − 1")
    void logProbsOfTheCompletion() {
        Decoder m = tiny(1);
        int[] ids = {1, 2, 3, 4, 5, 0, 1, 2, 5, 5, 4, 3, 2, 1, 0, 0};   // 2 rows of 8
        float[] want = Rollouts.logProbs(m, ids, 2, 8, 3).toArray(), got = SequenceDpo.logProbs(m, ids, 2, 8, 3).toArray();
        assertArrayEquals(want, got, 1e-5f);
        float[] one = SequenceDpo.logProbs(m, ids, 2, 8, 7).toArray();     // the last token only
        assertArrayEquals(Rollouts.logProbs(m, ids, 2, 8, 7).toArray(), one, 1e-5f);
    }

    @Test
    @Points(value = 2, hint = "build it from the model's logits with tensor ops, so backward() reaches the weights")
    void logProbsAreOnTheTape() {
        Decoder a = tiny(2), b = tiny(2);
        int[] ids = {1, 2, 3, 4, 5, 0, 1, 2};
        Rollouts.logProbs(a, ids, 1, 8, 2).sum().backward();
        SequenceDpo.logProbs(b, ids, 1, 8, 2).sum().backward();
        Tensor ga = a.namedParameters().get("h.0.attn.q.weight").grad(), gb = b.namedParameters().get("h.0.attn.q.weight").grad();
        assertTrue(gb != null, "no gradient reached the weights");
        assertArrayEquals(ga.toArray(), gb.toArray(), 1e-5f);
    }

    @Test
    @Points(value = 2, hint = "the batch holds B chosen rows, then B rejected rows; subtract the reference log-probs it carries")
    void lossEqualsTheLibrarys() {
        Decoder policy = tiny(3), ref = Rollouts.freeze(tiny(4));
        Dpo.Pairs data = Dpo.pairs(pairs(6, 5), ref);
        Dpo.PairBatch batch = data.batch(new int[] {0, 3, 5, 1});
        for (float beta : new float[] {0.1f, 0.5f})
            assertEquals(Dpo.of(policy, beta).loss(batch).item(), SequenceDpo.loss(policy, beta).loss(batch).item(), 1e-5, "beta " + beta);
    }

    @Test
    @Points(value = 2, hint = "hand the LossFunction to new Trainer(policy, cfg, Dpo.batches(pairs), null, loss): the margins must grow")
    void trainsThroughTheTrainer() {
        Decoder policy = tiny(6), ref = Rollouts.freeze(tiny(6));
        Dpo.Pairs data = Dpo.pairs(pairs(8, 7), ref);
        TrainConfig cfg = TrainConfig.reference().withSteps(12).withBatch(8).withLr(1e-2f).withWarmup(0).withWeightDecay(0f).withThreads(1);
        new Trainer(policy, cfg, Dpo.batches(data), null, SequenceDpo.loss(policy, 0.1f)).label("grading DPO").run();
        Dpo.Stats s = Dpo.evaluate(policy, data, 0.1f);
        assertTrue(s.accuracy() > 0.9 && s.margin() > 0.3, s.toString());
    }
}
