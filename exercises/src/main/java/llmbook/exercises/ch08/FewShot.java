package llmbook.exercises.ch08;

import java.util.List;
import java.util.function.ToDoubleBiFunction;

/**
 * Exercise ch08.few_shot — a k-shot prompt from the examples most like the query. Q31.
 *
 * <p>Few-shot learning puts solved examples in the prompt; which ones, and in what order, matters (Liu et al., 2022:
 * examples similar to the query help most). {@link #prompt} picks the {@code k} examples whose inputs are most similar
 * to the query by {@code sim(example input, query)} (equal similarity: the one earlier in the pool; fewer than {@code k}
 * in the pool: all of them) and writes them least similar first, so that the most similar one sits right before the
 * query, each as {@code "input: X\noutput: Y\n\n"}, then {@code "input: Q\noutput:"}. A negative {@code k} is an
 * {@link IllegalArgumentException}.
 *
 * <p>Worked example, similarity = minus the difference in length: pool {@code (cat, chat), (horse, cheval),
 * (dog, chien)}, query {@code "cow"}, k = 2. Similarities -0, -2, -0; the two best are cat and dog (a tie, cat is
 * earlier so it counts as more similar), written dog first:
 * {@code "input: dog\noutput: chien\n\ninput: cat\noutput: chat\n\ninput: cow\noutput:"}.
 * Run {@code ./llmbook grade 8} to see your score.
 */
public final class FewShot {
    private FewShot() {}

    public record Example(String input, String output) {}

    public static String prompt(List<Example> pool, String query, int k, ToDoubleBiFunction<String, String> sim) {
        throw new UnsupportedOperationException("TODO ch08.few_shot: the k most similar examples, least similar first, then the query");
    }
}
