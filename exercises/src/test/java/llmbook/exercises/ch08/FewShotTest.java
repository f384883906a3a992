package llmbook.exercises.ch08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleBiFunction;
import llmbook.exercises.ch08.FewShot.Example;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch08.few_shot", title = "A k-shot prompt from the nearest examples")
class FewShotTest {
    private static final ToDoubleBiFunction<String, String> LENGTH = (a, b) -> -Math.abs(a.length() - b.length());
    private static final List<Example> POOL = List.of(new Example("cat", "chat"), new Example("horse", "cheval"), new Example("dog", "chien"));

    @Test
    @Points(value = 2, hint = "the worked example: cat and dog are nearest to cow, written least similar first (dog, then cat), then \"input: cow\\noutput:\"")
    void workedExample() {
        assertEquals("input: dog\noutput: chien\n\ninput: cat\noutput: chat\n\ninput: cow\noutput:", FewShot.prompt(POOL, "cow", 2, LENGTH));
    }

    @Test
    @Points(value = 1, hint = "k = 0 is zero-shot (the query alone); k larger than the pool uses every example; negative k: IllegalArgumentException")
    void edgesOfK() {
        assertEquals("input: cow\noutput:", FewShot.prompt(POOL, "cow", 0, LENGTH));
        assertEquals("input: horse\noutput: cheval\n\ninput: dog\noutput: chien\n\ninput: cat\noutput: chat\n\ninput: cow\noutput:",
                FewShot.prompt(POOL, "cow", 10, LENGTH));
        assertThrows(IllegalArgumentException.class, () -> FewShot.prompt(POOL, "cow", -1, LENGTH));
    }

    @Test
    @Points(value = 2, hint = "hidden pools: pick by sim(example input, query), keep the k best (ties: earlier in the pool wins), most similar LAST")
    void hiddenPools() {
        Random r = new Random(31);
        for (int trial = 0; trial < 100; trial++) {
            List<Example> pool = new ArrayList<>();
            int n = 1 + r.nextInt(12);
            for (int i = 0; i < n; i++) pool.add(new Example(word(r), word(r)));
            String q = word(r);
            int k = r.nextInt(6);
            // reference: repeatedly take the best remaining, the earliest on ties
            List<Integer> left = new ArrayList<>();
            for (int i = 0; i < n; i++) left.add(i);
            List<Example> chosen = new ArrayList<>();
            while (chosen.size() < k && !left.isEmpty()) {
                int best = 0;
                for (int j = 1; j < left.size(); j++)
                    if (LENGTH.applyAsDouble(pool.get(left.get(j)).input(), q) > LENGTH.applyAsDouble(pool.get(left.get(best)).input(), q)) best = j;
                chosen.add(pool.get(left.remove(best)));
            }
            StringBuilder want = new StringBuilder();
            for (int j = chosen.size() - 1; j >= 0; j--)
                want.append("input: ").append(chosen.get(j).input()).append("\noutput: ").append(chosen.get(j).output()).append("\n\n");
            want.append("input: ").append(q).append("\noutput:");
            assertEquals(want.toString(), FewShot.prompt(pool, q, k, LENGTH), "trial " + trial);
        }
    }

    @Test
    @Points(value = 1, hint = "similarity is sim(example input, query): use the input, never the output, and call the function given (here: shared letters)")
    void usesTheGivenSimilarity() {
        ToDoubleBiFunction<String, String> shared = (a, b) -> a.chars().distinct().filter(c -> b.indexOf(c) >= 0).count();
        List<Example> pool = List.of(new Example("xyz", "abc"), new Example("abd", "xyz"), new Example("qqq", "abc"));
        assertEquals("input: abd\noutput: xyz\n\ninput: abc\noutput:", FewShot.prompt(pool, "abc", 1, shared));
    }

    private static String word(Random r) {
        StringBuilder b = new StringBuilder();
        for (int i = 1 + r.nextInt(7); i > 0; i--) b.append((char) ('a' + r.nextInt(26)));
        return b.toString();
    }
}
