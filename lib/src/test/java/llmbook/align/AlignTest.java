package llmbook.align;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import llmbook.autograd.GradCheck;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.sample.Generator;
import llmbook.tensor.Functional;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import llmbook.tokenizer.CharTokenizer;
import llmbook.train.TrainConfig;
import llmbook.train.Trainer;
import org.junit.jupiter.api.Test;

class AlignTest {
    static Decoder tiny(int vocab, long seed) {
        return new Decoder(TransformerConfig.gpt2(vocab).toBuilder().layers(1).heads(2).width(16).hidden(32).context(24).build(), new Rng(seed));
    }

    static TrainConfig quickCfg(int steps, float lr) {
        return TrainConfig.reference().withSteps(steps).withWarmup(0).withLr(lr).withBatch(8).withThreads(1).withWeightDecay(0f);
    }

    @Test void afinnScoresWholeWordsAndSkipsPhrases() {
        Afinn a = Afinn.parse("word,valence\ngood,3\nbad,-3\ndoes not work,-3\ncan't stand,-3\nwin,4\n");
        assertEquals(3, a.size());
        assertEquals(2, a.phrases());
        assertEquals(3 - 3 + 3, a.score("Good, bad... GOOD!"));
        assertEquals(0, a.score("goodness badge winter"), "substrings are not words");
        assertEquals(4, a.score("we win"));
        assertThrows(IllegalArgumentException.class, () -> Afinn.parse("good;3\n"));
        assertThrows(IllegalArgumentException.class, () -> Afinn.parse("good,three\n"));
    }

    @Test void logSigmoidIsStableAndItsGradientChecks() {
        float[] v = Dpo.logSigmoid(Tensor.of(new float[] {-100f, 0f, 100f}, 3)).toArray();
        assertEquals(-100f, v[0], 1e-4);
        assertEquals((float) -Math.log(2), v[1], 1e-6);
        assertEquals(0f, v[2], 1e-6);
        Tensor z = Tensor.of(new float[] {-2.5f, -0.3f, 0.7f, 3f}, 4).requiresGrad(true);
        assertTrue(GradCheck.check(t -> Dpo.logSigmoid(t[0]), z).ok());
    }

    @Test void dpoLossGradientChecksAndHasItsLimits() {
        Rng rng = new Rng(3);
        Tensor pc = Tensor.randn(rng, 5).requiresGrad(true), pr = Tensor.randn(rng, 5).requiresGrad(true);
        Tensor rc = Tensor.randn(rng, 5), rr = Tensor.randn(rng, 5);
        for (float beta : new float[] {0.1f, 0.5f, 2f})
            assertTrue(GradCheck.check(t -> Dpo.loss(t[0], t[1], rc, rr, beta), pc, pr).ok(), "beta " + beta);
        // the policy equal to the reference: every margin 0, loss log 2
        assertEquals(Math.log(2), Dpo.loss(rc, rr, rc, rr, 0.1f).item(), 1e-6);
        // β → 0: loss → log 2, and its gradient wrt log π(y_w) → −β/2 per pair (mean over B)
        Tensor a = Tensor.of(new float[] {3f}, 1).requiresGrad(true), b = Tensor.of(new float[] {-4f}, 1).requiresGrad(true);
        Tensor small = Dpo.loss(a, b, Tensor.of(new float[] {0f}, 1), Tensor.of(new float[] {0f}, 1), 1e-4f);
        assertEquals(Math.log(2), small.item(), 1e-3);
        small.backward();
        assertEquals(-0.5e-4, a.grad().item(), 1e-6);
        assertEquals(0.5e-4, b.grad().item(), 1e-6);
        // large β: a right margin costs nothing, a wrong one costs β·|margin| (a hinge)
        Tensor z0 = Tensor.of(new float[] {0f}, 1);
        assertEquals(0, Dpo.loss(Tensor.of(new float[] {1f}, 1), z0, z0, z0, 100f).item(), 1e-6);
        assertEquals(100, Dpo.loss(Tensor.of(new float[] {-1f}, 1), z0, z0, z0, 100f).item(), 1e-3);
        assertThrows(IllegalArgumentException.class, () -> Dpo.loss(z0, z0, z0, z0, 0f));
    }

    @Test void sequenceLogProbIsTheSumOfTheCompletionTokensLogProbs() {
        Decoder m = tiny(7, 1);
        int[] ids = {1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 6, 6, 5, 4, 3, 2, 1, 0};   // 2 rows of 9
        float[] lp = Rollouts.logProbs(m, ids, 2, 9, 4).toArray();
        for (int r = 0; r < 2; r++) {
            int[] x = Arrays.copyOfRange(ids, r * 9, r * 9 + 8), y = new int[8];
            Arrays.fill(y, -1);
            for (int t = 3; t < 8; t++) y[t] = ids[r * 9 + t + 1];               // positions predicting tokens 4 … 8
            double mean = m.loss(x, y, 1, 8).item();
            assertEquals(-5 * mean, lp[r], 1e-4);
        }
        assertThrows(IllegalArgumentException.class, () -> Rollouts.logProbs(m, ids, 2, 9, 0));
    }

    @Test void batchedSamplingWithTheCacheAtTemperatureZeroIsGreedyDecoding() {
        Decoder m = tiny(9, 2);
        int[] prompt = {1, 4, 2};
        int[][] s = Rollouts.sample(m, prompt, 3, 10, 0f, new Rng(1));
        int[] g = new Generator(m).useCache(false).greedy(prompt, 10);
        for (int[] row : s) assertArrayEquals(Arrays.copyOfRange(g, 3, 13), row);
        int[][] a = Rollouts.sample(m, prompt, 4, 10, 1f, new Rng(5)), b = Rollouts.sample(m, prompt, 4, 10, 1f, new Rng(5));
        assertArrayEquals(a, b);
        assertThrows(IllegalArgumentException.class, () -> Rollouts.sample(m, prompt, 2, 30, 1f, new Rng(1)));
    }

    /** Chosen completions are runs of token 1, rejected runs of token 2: DPO must learn to prefer 1s. */
    @Test void dpoThroughTheTrainerSeparatesTheImplicitRewards() {
        Rng rng = new Rng(7);
        List<PreferencePair> pairs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int[] p = {rng.nextInt(5), rng.nextInt(5), rng.nextInt(5)};
            int[] c = new int[6], r = new int[6];
            for (int t = 0; t < 6; t++) { c[t] = rng.nextFloat() < 0.8f ? 1 : rng.nextInt(5); r[t] = rng.nextFloat() < 0.8f ? 2 : rng.nextInt(5); }
            pairs.add(new PreferencePair(p, c, r, 1, 0));
        }
        Decoder policy = tiny(5, 4), ref = Rollouts.freeze(tiny(5, 4));
        Dpo.Pairs data = Dpo.pairs(pairs, ref);
        Dpo.Stats before = Dpo.evaluate(policy, data, 0.1f);
        assertEquals(Math.log(2), before.loss(), 1e-5);
        assertEquals(0, before.margin(), 1e-5);
        new Trainer(policy, quickCfg(40, 3e-3f), Dpo.batches(data), null, Dpo.of(policy, 0.1f)).label("dpo test").run();
        Dpo.Stats after = Dpo.evaluate(policy, data, 0.1f);
        assertTrue(after.loss() < 0.5, "loss " + after.loss());
        assertTrue(after.margin() > 0.5 && after.accuracy() == 1.0, after.toString());
        assertTrue(after.chosenReward() > 0 && after.rejectedReward() < 0, after.toString());
        assertThrows(IllegalArgumentException.class, () -> new PreferencePair(new int[] {1}, new int[] {1, 2}, new int[] {1}, 1, 0));
        // DPO + NLL: the DPO loss plus the weight × the chosen completions' mean per-token NLL
        Dpo.PairBatch pb = data.batch(new int[] {0, 1, 2});
        float plain = Dpo.of(policy, 0.1f).loss(pb).item(), withNll = Dpo.of(policy, 0.1f, 0.5f).loss(pb).item();
        float[] lpc = Rollouts.logProbsNoGrad(policy, new int[][] {pairs.get(0).chosenRow(), pairs.get(1).chosenRow(), pairs.get(2).chosenRow()}, 3, 3);
        double nll = -(lpc[0] + lpc[1] + lpc[2]) / 3 / 6;
        assertEquals(plain + 0.5 * nll, withNll, 1e-4);
        assertEquals(plain, Dpo.of(policy, 0.1f, 0f).loss(pb).item(), 0f);
        assertThrows(IllegalArgumentException.class, () -> Dpo.of(policy, 0.1f, -1f));
    }

    @Test void bradleyTerryRewardModelLearnsAPreference() {
        // a toy "base": the preference is whether the completion holds more 1s than 2s; the base's features must carry it
        Decoder base = tiny(5, 9);
        Rng rng = new Rng(11);
        List<PreferencePair> pairs = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            int[] p = {rng.nextInt(5), rng.nextInt(5)};
            int[] c = new int[6], r = new int[6];
            for (int t = 0; t < 6; t++) { c[t] = rng.nextFloat() < 0.7f ? 1 : 2; r[t] = rng.nextFloat() < 0.7f ? 2 : 1; }
            pairs.add(new PreferencePair(p, c, r, 1, 0));
        }
        RewardModel.Features train = RewardModel.features(base, pairs.subList(0, 60)), held = RewardModel.features(base, pairs.subList(60, 80));
        RewardModel rm = new RewardModel(16, new Rng(1));
        new Trainer(rm, quickCfg(150, 3e-2f), RewardModel.batches(train), null, rm.loss(train)).label("rm test").run();
        assertTrue(rm.accuracy(train) > 0.9, "train " + rm.accuracy(train));
        assertTrue(rm.accuracy(held) > 0.8, "held-out " + rm.accuracy(held));
    }

    @Test void rankedPairsHaveAClearMarginAndARewardModelLearnsThemOnHeldOutPrompts() {
        // the reward counts the letter 'a' in a completion; pairs are ranked by it with a margin of at least 2
        CharTokenizer tok = CharTokenizer.fit("abcde");
        Decoder base = tiny(tok.vocabSize(), 3);
        int[] text = tok.encode("abcdeedcbaabcdeedcba".repeat(5));
        java.util.function.ToDoubleFunction<String> reward = s -> s.chars().filter(c -> c == 'a').count();
        List<PreferencePair> train = Preferences.ranked(base, tok, text, 60, 3, 8, 8, 2, 2, reward, new Rng(4));
        List<PreferencePair> held = Preferences.ranked(base, tok, text, 20, 3, 8, 8, 2, 2, reward, new Rng(5));
        assertTrue(train.size() > 30 && train.size() <= 120, "pairs: " + train.size());
        java.util.Map<String, Integer> perPrompt = new java.util.HashMap<>();
        for (PreferencePair p : train) {
            assertEquals(reward.applyAsDouble(tok.decode(p.chosen())), p.chosenReward());
            assertEquals(reward.applyAsDouble(tok.decode(p.rejected())), p.rejectedReward());
            assertTrue(p.chosenReward() - p.rejectedReward() >= 2, "margin " + (p.chosenReward() - p.rejectedReward()));
            perPrompt.merge(Arrays.toString(p.prompt()) + System.identityHashCode(p.prompt()), 1, Integer::sum);
        }
        assertTrue(perPrompt.values().stream().allMatch(n -> n <= 2), "at most 2 pairs per prompt");
        assertTrue(perPrompt.values().stream().anyMatch(n -> n == 2), "some prompt gives 2 disjoint pairs");
        RewardModel.Features ft = RewardModel.features(base, train), fh = RewardModel.features(base, held);
        RewardModel rm = new RewardModel(16, new Rng(1));
        new Trainer(rm, quickCfg(200, 1e-2f), RewardModel.batches(ft), null, rm.loss(ft)).label("rm ranked").run();
        assertTrue(rm.accuracy(fh) > 0.75, "held-out pair accuracy " + rm.accuracy(fh) + " on " + fh.n());
        assertThrows(IllegalArgumentException.class, () -> Preferences.ranked(base, tok, text, 2, 3, 8, 8, 0, 2, reward, new Rng(4)));
        RewardModel.Features none = RewardModel.features(base, List.of());
        assertEquals(0, none.n());
        assertTrue(Double.isNaN(rm.accuracy(none)), "no pairs: no accuracy");
    }

    @Test void bestOfNKlIsLogNMinusNMinusOneOverN() {
        assertEquals(0, BestOfN.kl(1), 0);
        assertEquals(Math.log(2) - 0.5, BestOfN.kl(2), 1e-12);
        assertEquals(Math.log(16) - 15.0 / 16, BestOfN.kl(16), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> BestOfN.kl(0));
    }

    /** Reward: the number of 'a's. REINFORCE with a KL penalty must raise it; the KL estimate must then be positive. */
    @Test void reinforceRaisesTheRewardAndMovesAwayFromTheReference() {
        CharTokenizer tok = CharTokenizer.fit("ab c");
        int[] text = tok.encode("ab cab c ba cc ab ab c ba ".repeat(4));
        Decoder policy = tiny(tok.vocabSize(), 5), ref = Rollouts.freeze(tiny(tok.vocabSize(), 5));
        java.util.function.ToDoubleFunction<String> reward = s -> s.chars().filter(ch -> ch == 'a').count();
        Reinforce.Source src = Reinforce.rollouts(policy, ref, tok, text, 3, 8, 4, 0.05f, reward);
        new Trainer(policy, quickCfg(40, 1e-2f).withBatch(16), src, null, Reinforce.loss(policy)).label("pg test").run();
        List<double[]> h = src.history();
        double first = (h.get(0)[0] + h.get(1)[0] + h.get(2)[0]) / 3, last = (h.get(37)[0] + h.get(38)[0] + h.get(39)[0]) / 3;
        assertTrue(last > first + 1, "reward " + first + " → " + last);
        assertTrue(h.get(39)[1] > 0, "KL " + h.get(39)[1]);
        Rollouts.Score s = Rollouts.score(policy, ref, tok, List.of(new int[] {1, 2, 3}), 8, 8, reward, new Rng(2));
        assertTrue(s.kl() > 0 && s.reward() > first, s.toString());
    }
}
