package llmbook.exercises.ch08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import llmbook.model.LanguageModel;
import llmbook.nn.Module;
import llmbook.tasks.Addition;
import llmbook.tensor.Tensor;
import llmbook.tokenizer.CharTokenizer;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch08.scratchpad", title = "A scratchpad for addition, graded by exact match")
class ScratchpadTest {
    static final CharTokenizer TOK = CharTokenizer.fit(Addition.ALPHABET);

    @Test
    @Points(value = 2, hint = "128 + 367 → 8+7+0=15,2+6+1=09,1+3+0=04:495 (lowest column first, two-digit column sums)")
    void workedExamples() {
        assertEquals("8+7+0=15,2+6+1=09,1+3+0=04:495", Scratchpad.detailed(128, 367));
        assertEquals("5+7+0=12,9+0+1=10:102", Scratchpad.detailed(95, 7));
    }

    @Test
    @Points(value = 1, hint = "a final carry shows only in the answer: 999 + 1 has three columns and the answer 1000; 0 + 0 has one column")
    void carriesAndZeros() {
        assertEquals("9+1+0=10,9+0+1=10,9+0+1=10:1000", Scratchpad.detailed(999, 1));
        assertEquals("0+0+0=00:0", Scratchpad.detailed(0, 0));
        assertEquals("3+9+0=12,0+9+1=10,0+9+1=10:1002", Scratchpad.detailed(3, 999), "the longer operand may be the second");
    }

    @Test
    @Points(value = 1, hint = "on random sums the text must be exactly the library's DETAILED format (llmbook.tasks.Addition)")
    void matchesTheLibrary() {
        Random r = new Random(8);
        for (int i = 0; i < 200; i++) {
            long a = r.nextInt(100_000), b = r.nextInt(1000);
            String want = Addition.example(a, b, Addition.Format.DETAILED).completion().strip();
            assertEquals(want, Scratchpad.detailed(a, b), a + "+" + b);
        }
    }

    @Test
    @Points(value = 1, hint = "the answer is the digits after the LAST colon, up to a newline; no colon, nothing after it or a non-digit → null")
    void answerOf() {
        assertEquals("495", Scratchpad.answerOf("8+7+0=15,2+6+1=09,1+3+0=04:495\n9+9"));
        assertEquals("12", Scratchpad.answerOf("1:2:12"));
        assertNull(Scratchpad.answerOf("8+7+0=15,2+6+1=09"));
        assertNull(Scratchpad.answerOf("8+7+0=15:\n"));
        assertNull(Scratchpad.answerOf("8+7+0=15:4c5"));
    }

    /**
     * A "model" that reads its window, finds "a+b=" and writes the detailed scratchpad character by character (the
     * answer off by one whenever a + b is divisible by {@code wrongEvery}), then a newline, then nonsense.
     */
    static final class CalculatorLm extends Module implements LanguageModel {
        final int wrongEvery;

        CalculatorLm(int wrongEvery) { this.wrongEvery = wrongEvery; }

        @Override public int vocab() { return TOK.vocabSize(); }
        @Override public int context() { return 64; }

        @Override public Tensor logits(int[] ids, int B, int T) {
            int V = vocab();
            float[] out = new float[B * T * V];
            for (int b = 0; b < B; b++)
                for (int t = 0; t < T; t++) {
                    String seen = TOK.decode(Arrays.copyOfRange(ids, b * T, b * T + t + 1));
                    out[(b * T + t) * V + next(seen)] = 10f;
                }
            return Tensor.of(out, B, T, V);
        }

        int next(String seen) {
            int eq = seen.indexOf('=');
            if (eq < 0) return TOK.encode("1")[0];
            String[] ab = seen.substring(0, eq).split("\\+");
            long a = Long.parseLong(ab[0]), b = Long.parseLong(ab[1]);
            String full = Addition.example(a, b, Addition.Format.DETAILED).completion();
            if ((a + b) % wrongEvery == 0) full = full.replaceFirst(":\\d+\n", ":" + (a + b + 1) + "\n");
            String written = seen.substring(eq + 1);
            return written.length() < full.length() ? TOK.encode(full.substring(written.length(), written.length() + 1))[0] : TOK.encode("7")[0];
        }
    }

    @Test
    @Points(value = 3, hint = "exactMatch: prompt \"a+b=\", greedy with the Generator stopping at the newline id, decode only the new tokens, parse with answerOf, compare with a + b")
    void exactMatchOfAScriptedModel() {
        List<long[]> sums = new ArrayList<>();
        int wrong = 0;
        Random r = new Random(5);
        for (int i = 0; i < 30; i++) {
            long a = r.nextInt(1000), b = r.nextInt(1000);
            sums.add(new long[]{a, b});
            if ((a + b) % 3 == 0) wrong++;
        }
        assertEquals(1.0, Scratchpad.exactMatch(new CalculatorLm(Integer.MAX_VALUE), TOK, sums, 60), 1e-12, "a model that is always right");
        assertEquals((30 - wrong) / 30.0, Scratchpad.exactMatch(new CalculatorLm(3), TOK, sums, 60), 1e-12, "off by one whenever a + b is a multiple of 3");
        assertEquals(0.0, Scratchpad.exactMatch(new CalculatorLm(Integer.MAX_VALUE), TOK, sums, 8), 1e-12, "cut off before the answer: no answer is not right");
    }
}
