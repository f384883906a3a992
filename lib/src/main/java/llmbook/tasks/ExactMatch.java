package llmbook.tasks;

import java.util.List;
import java.util.function.Function;
import llmbook.model.LanguageModel;
import llmbook.sample.Generator;
import llmbook.tokenizer.Tokenizer;

/**
 * Exact-match accuracy: the model completes each prompt greedily (KV-cached {@link Generator}, stopping at the end
 * token), a parser pulls the answer out of the completion, and it counts only if it equals the expected answer
 * character for character. No partial credit: "495" for 495 is right, "49" or "4950" wrong. Q24.
 */
public final class ExactMatch {
    private ExactMatch() {}

    /** One graded completion. */
    public record Graded(String prompt, String completion, String answer, String expected, boolean correct) {}

    /**
     * Completes {@code prompts[i]} with at most {@code maxNew} tokens, parses with {@code answerOf} (null = no answer)
     * and compares with {@code expected[i]}.
     */
    public static List<Graded> grade(LanguageModel model, Tokenizer tok, List<String> prompts, List<String> expected,
                                     Function<String, String> answerOf, int maxNew, String end) {
        if (prompts.size() != expected.size())
            throw new IllegalArgumentException("ExactMatch: " + prompts.size() + " prompts but " + expected.size() + " expected answers");
        int[] endIds = tok.encode(end);
        if (endIds.length != 1) throw new IllegalArgumentException("ExactMatch: the end text '" + end + "' must be one token, got " + endIds.length);
        Generator g = new Generator(model).stopAt(endIds[0]);
        java.util.ArrayList<Graded> out = new java.util.ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            int[] p = tok.encode(prompts.get(i));
            int room = Math.min(maxNew, model.context() - p.length);
            if (room < 1) throw new IllegalArgumentException("ExactMatch: prompt " + i + " has " + p.length + " tokens, the context is " + model.context());
            int[] all = g.greedy(p, room);
            String completion = decode(tok, java.util.Arrays.copyOfRange(all, p.length, all.length));
            String ans = answerOf.apply(completion);
            out.add(new Graded(prompts.get(i), completion, ans, expected.get(i), expected.get(i).equals(ans)));
        }
        return out;
    }

    /**
     * {@code tok.decode(ids)}, except that an id the tokenizer does not have (a model whose vocabulary is larger than
     * the tokenizer's, e.g. one trained first on other data) ends the text with U+FFFD: an answer that is never right.
     */
    static String decode(Tokenizer tok, int[] ids) {
        for (int i = 0; i < ids.length; i++)
            if (ids[i] < 0 || ids[i] >= tok.vocabSize()) return tok.decode(java.util.Arrays.copyOf(ids, i)) + "\uFFFD";
        return tok.decode(ids);
    }

    /** The share of {@code graded} that is correct. */
    public static double accuracy(List<Graded> graded) {
        if (graded.isEmpty()) throw new IllegalArgumentException("ExactMatch.accuracy: nothing graded");
        return graded.stream().filter(Graded::correct).count() / (double) graded.size();
    }
}
