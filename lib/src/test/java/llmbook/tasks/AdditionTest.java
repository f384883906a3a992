package llmbook.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import llmbook.data.TokenBatch;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.tensor.Rng;
import llmbook.tokenizer.CharTokenizer;
import llmbook.train.TrainConfig;
import llmbook.train.Trainer;
import org.junit.jupiter.api.Test;

class AdditionTest {
    @Test
    void theFourFormatsOf128Plus367() {
        assertEquals("128+367=495\n", Addition.example(128, 367, Addition.Format.PLAIN).text());
        assertEquals("128+367=594\n", Addition.example(128, 367, Addition.Format.REVERSED).text());
        assertEquals("128+367=5c1,9c0,4c0:495\n", Addition.example(128, 367, Addition.Format.SIMPLE).text());
        assertEquals("128+367=8+7+0=15,2+6+1=09,1+3+0=04:495\n", Addition.example(128, 367, Addition.Format.DETAILED).text());
        assertEquals("999+1=9+1+0=10,9+0+1=10,9+0+1=10:1000\n", Addition.example(999, 1, Addition.Format.DETAILED).text(), "the carry out of the top column");
    }

    @Test
    void answersParseBackForEveryFormat() {
        for (Addition.Format f : Addition.Format.values()) {
            Addition.Example e = Addition.example(4071, 58, f);
            assertEquals("4129", Addition.answerOf(e.completion(), f), f.name());
        }
        assertNull(Addition.answerOf("5c1,9c0\n", Addition.Format.SIMPLE), "a scratchpad without its answer");
        assertNull(Addition.answerOf("\n", Addition.Format.PLAIN));
        assertNull(Addition.answerOf("4x9\n", Addition.Format.PLAIN));
    }

    @Test
    void heldOutPairsAreDisjointFromTraining() {
        Set<Long> seen = new HashSet<>();
        List<Addition.Example> train = Addition.sample(500, 0, 100, Addition.Format.PLAIN, 1, seen);
        List<Addition.Example> test = Addition.sample(200, 0, 100, Addition.Format.PLAIN, 2, seen);
        Set<String> t = new HashSet<>();
        for (var e : train) t.add(e.prompt());
        for (var e : test) assertTrue(!t.contains(e.prompt()), e.prompt() + " is in both");
        assertEquals(500, t.size());
        assertThrows(IllegalArgumentException.class, () -> Addition.sample(20000, 0, 100, Addition.Format.PLAIN, 3, seen));
    }

    @Test
    void onlyTheCompletionIsScored() {
        CharTokenizer tok = CharTokenizer.fit(Addition.ALPHABET);
        PromptCompletion pc = new PromptCompletion(tok, List.of("1+2=", "10+5="), List.of("3\n", "15\n"), 0);
        TokenBatch b = pc.next(new Rng(1), 8);
        int scored = 0;
        for (int y : b.y()) if (y != -1) scored++;
        int ones = 0;                                   // "1+2=" scores 2 targets ("3", "\n"), "10+5=" scores 3
        for (int i = 0; i < 8; i++) {
            int s = 0;
            for (int t = 0; t < b.T(); t++) if (b.y()[i * b.T() + t] != -1) s++;
            assertTrue(s == 2 || s == 3, "row " + i + " scores " + s);
            if (s == 2) ones++;
        }
        assertEquals(scored, b.scored());
        assertTrue(ones > 0 && ones < 8);
    }

    /** A tiny model memorises six sums; exact match sees them right, and a wrong expected answer is marked wrong. */
    @Test
    void exactMatchOfAMemorisingModel() {
        CharTokenizer tok = CharTokenizer.fit(Addition.ALPHABET);
        List<Addition.Example> ex = Addition.sample(6, 2, Addition.Format.PLAIN, 5);
        var data = new PromptCompletion(tok, ex.stream().map(Addition.Example::prompt).toList(), ex.stream().map(Addition.Example::completion).toList(), 0);
        Decoder m = new Decoder(TransformerConfig.gpt2(tok.vocabSize()).withLayers(1).withShape(2, 32, 128).withContext(16), new Rng(1));
        new Trainer(m, TrainConfig.reference().withSteps(300).withLr(1e-2f).withBatch(8).withWarmup(10).withThreads(1), data, null).label("memorise").run();
        List<String> prompts = ex.stream().map(Addition.Example::prompt).toList(), answers = ex.stream().map(Addition.Example::answer).toList();
        var graded = ExactMatch.grade(m, tok, prompts, answers, c -> Addition.answerOf(c, Addition.Format.PLAIN), 8, Addition.END);
        assertEquals(1.0, ExactMatch.accuracy(graded), graded.toString());
        List<String> wrong = answers.stream().map(a -> a + "0").toList();
        assertEquals(0.0, ExactMatch.accuracy(ExactMatch.grade(m, tok, prompts, wrong, c -> Addition.answerOf(c, Addition.Format.PLAIN), 8, Addition.END)));
    }

    @Test
    void idsOutsideTheTokenizerDecodeToAnAnswerThatIsNeverRight() {
        CharTokenizer tok = CharTokenizer.fit(Addition.ALPHABET);
        int[] ids = tok.encode("12\n");
        assertEquals("12\n", ExactMatch.decode(tok, ids));
        assertEquals("1\uFFFD", ExactMatch.decode(tok, new int[] {ids[0], tok.vocabSize() + 3, ids[1]}), "a larger model's extra id ends the text");
        assertNull(Addition.answerOf(ExactMatch.decode(tok, new int[] {ids[0], tok.vocabSize()}), Addition.Format.PLAIN));
    }
}
