package llmbook.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.tensor.Rng;
import llmbook.tokenizer.CharTokenizer;
import llmbook.train.TrainConfig;
import llmbook.train.Trainer;
import org.junit.jupiter.api.Test;

class InContextTest {
    @Test
    void examplesFollowTheirFunction() {
        Random r = new Random(1);
        char[] next = InContext.function(InContext.Family.NEXT, r);
        assertEquals('a', next[7], "h wraps to a");
        InContext.Example e = InContext.example(InContext.Family.NEXT, next, 3, r);
        assertTrue(e.prompt().startsWith("next: "));
        String body = e.prompt().substring(6);
        for (String pair : body.substring(0, body.length() - 1).split(";"))
            assertEquals(next[pair.charAt(0) - 'a'], pair.charAt(1), pair);
        assertEquals(String.valueOf(next[body.charAt(body.length() - 1) - 'a']), e.answer());
        char[] map = InContext.function(InContext.Family.MAP, r);
        Set<Character> image = new HashSet<>();
        for (char c : map) image.add(c);
        assertEquals(8, image.size(), "a map is one-to-one");
        for (int id : CharTokenizer.fit(InContext.ALPHABET).encode(e.prompt())) assertTrue(id != 0);
    }

    @Test
    void queryShownMeansTheQueryLetterIsAnExampleInput() {
        assertTrue(InContext.queryShown(new InContext.Example("map: cf;ah;eb;a", "h")));
        assertFalse(InContext.queryShown(new InContext.Example("map: cf;ha;eb;a", "?")), "a as an output only does not count");
        assertFalse(InContext.queryShown(new InContext.Example("map: a", "?")));
        List<InContext.Example> t = InContext.training(300, 8, 2);
        assertEquals(300, t.size());
    }

    @Test
    void theStreamScoresOnlyKnowableLettersAndKeepsHeldOutLettersFromNextAndCopy() {
        CharTokenizer tok = CharTokenizer.fit(InContext.ALPHABET);
        InContext.Stream s = new InContext.Stream(tok, 4, 0.5, "gh", 20);
        llmbook.data.TokenBatch b = s.next(new llmbook.tensor.Rng(7), 300);
        int maps = 0;
        for (int r = 0; r < 300; r++) {
            StringBuilder text = new StringBuilder();
            for (int t = 0; t < b.T() && b.x()[r * b.T() + t] != 0; t++) text.append(tok.piece(b.x()[r * b.T() + t]));
            String seq = text.toString();
            int start = seq.indexOf(' ') + 1;
            if (seq.startsWith("map")) maps++;
            else for (int t = start; t < seq.length(); t += 3) assertTrue("abcdef".indexOf(seq.charAt(t)) >= 0, "held-out letter under next/copy: " + seq);
            for (int t = 0; t < seq.length(); t++) {
                int y = b.y()[r * b.T() + t];
                boolean scored = t >= start && (t - start) % 3 == 0 || t == seq.length() - 1;
                assertEquals(scored, y >= 0, "position " + t + " of '" + seq + "'");
                if (t + 1 < seq.length() && scored) assertEquals(tok.encode(seq.substring(t + 1, t + 2))[0], y);
            }
            assertEquals(tok.encode("\n")[0], b.y()[r * b.T() + seq.length() - 1], "the answer predicts the end");
        }
        assertTrue(maps > 110 && maps < 190, "about half are maps: " + maps);
        assertThrows(IllegalArgumentException.class, () -> new InContext.Stream(tok, 16, 0.5, "", 40));
        assertThrows(IllegalArgumentException.class, () -> new InContext.Stream(tok, 4, 0.5, "abcdefgh", 40));
    }

    @Test
    void mapsSplitIntoEvenAndOddPermutations() {
        assertTrue(InContext.isEven("abcdefgh".toCharArray()));
        assertFalse(InContext.isEven("bacdefgh".toCharArray()), "one swap");
        assertTrue(InContext.isEven("bcadefgh".toCharArray()), "a 3-cycle is two swaps");
        assertFalse(InContext.isEven("bcdaefgh".toCharArray()), "a 4-cycle is three swaps");
        Random r = new Random(5);
        for (int i = 0; i < 200; i++) {
            boolean even = i % 2 == 0;
            char[] f = InContext.map(r, even);
            assertEquals(even, InContext.isEven(f));
            Set<Character> image = new HashSet<>();
            for (char c : f) image.add(c);
            assertEquals(8, image.size());
        }
    }

    @Test
    void theCeilingOfAReaderIsOneWhenShownElseAGuessAmongUnusedOutputs() {
        assertEquals(1.0, InContext.bestAccuracy(new InContext.Example("map: cf;ah;a", "h")), 1e-12);
        assertEquals(1.0 / 6, InContext.bestAccuracy(new InContext.Example("map: cf;ah;cf;b", "?")), 1e-12, "two distinct inputs shown, six outputs left");
        assertEquals(1.0 / 8, InContext.bestAccuracy(new InContext.Example("map: b", "?")), 1e-12);
        assertEquals(1.0, InContext.bestAccuracy(new InContext.Example("map: ba;b", "a")), 1e-12, "b shown as an input");
        assertEquals(1.0 / 7, InContext.bestAccuracy(new InContext.Example("map: ab;b", "?")), 1e-12, "b shown only as an output");
        assertThrows(IllegalArgumentException.class, () -> InContext.bestAccuracy(new InContext.Example("map: abb", "?")));
        // averaged over random prompts it rises with the number of examples, from 1/8 towards 1
        Random r = new Random(3);
        double prev = 0;
        for (int k : new int[] {0, 2, 8, 32}) {
            double mean = 0;
            for (int i = 0; i < 2000; i++) mean += InContext.bestAccuracy(InContext.example(InContext.Family.MAP, InContext.map(r, false), k, r)) / 2000;
            assertTrue(mean > prev, "k = " + k + ": " + mean);
            prev = mean;
        }
        assertTrue(prev > 0.98, "32 examples show almost every query: " + prev);
    }

    /**
     * Few-shot learning, small: a two-layer attention-only model that first learned to copy repeated random tokens
     * ({@link Induction}: an induction head forms) and then trained briefly on the task mixture answers held-out odd
     * maps far better with 8 examples than with none. Fails if accuracy does not rise with the examples.
     */
    @Test
    void anInductionPretrainedModelLearnsHeldOutMapsFromItsPrompt() {
        CharTokenizer tok = CharTokenizer.fit(InContext.ALPHABET);
        int V = 32, T = 48;
        Decoder m = Induction.attentionOnly(TransformerConfig.gpt2(V).withLayers(2).withShape(4, 48, 192).withContext(T)
                .withPositions(TransformerConfig.Positions.ROPE), new Rng(1));
        new Trainer(m, TrainConfig.reference().withWarmup(20).withSteps(600).withLr(5e-3f).withBatch(32).withThreads(2).withEvalInterval(600),
                new Induction(V, T, 12), null).run();
        new Trainer(m, TrainConfig.reference().withWarmup(10).withSteps(200).withLr(1e-3f).withBatch(32).withThreads(2).withEvalInterval(200),
                new InContext.Stream(tok, 8, 0.5, "gh", T), null).run();
        double[] acc = new double[2], ceiling = new double[2];
        int[] shots = {0, 8};
        Random r = new Random(11);
        for (int i = 0; i < 2; i++) {
            List<InContext.Example> es = new java.util.ArrayList<>();
            for (int n = 0; n < 100; n++) es.add(InContext.example(InContext.Family.MAP, InContext.map(r, false), shots[i], r));
            acc[i] = ExactMatch.accuracy(ExactMatch.grade(m, tok, es.stream().map(InContext.Example::prompt).toList(),
                    es.stream().map(InContext.Example::answer).toList(), c -> c.isEmpty() ? "" : c.substring(0, 1), 2, "\n"));
            ceiling[i] = es.stream().mapToDouble(InContext::bestAccuracy).average().getAsDouble();
        }
        String report = "accuracy at k = 0, 8: " + java.util.Arrays.toString(acc) + ", ceiling " + java.util.Arrays.toString(ceiling);
        assertTrue(acc[0] < 0.3, "no examples, no way to know a new map: " + report);
        assertTrue(acc[1] > acc[0] + 0.3 && acc[1] > 0.5, "with 8 examples the model copies from its prompt: " + report);
    }
}
