package llmbook.exercises.ch08;

import java.util.List;
import llmbook.model.LanguageModel;
import llmbook.tokenizer.Tokenizer;

/**
 * Exercise ch08.scratchpad — chain-of-thought data for addition, and grading a model on it by exact match. Q24.
 *
 * <p>{@link #detailed} writes what a model should produce after {@code "a+b="}: each column, lowest first, as
 * {@code x+y+c=SS} (the two digits, the carry in, the two-digit sum), columns separated by commas, then a colon and the
 * sum. Columns run over the longer operand (a missing digit is 0); a carry out of the top column shows only in the
 * answer. Examples: 128 + 367 → {@code "8+7+0=15,2+6+1=09,1+3+0=04:495"}; 95 + 7 → {@code "5+7+0=12,9+0+1=10:102"}.
 *
 * <p>{@link #answerOf} reads the final answer back out of a completion: the digits after the last colon, up to a
 * newline; anything else (no colon, nothing after it, a non-digit) is no answer ({@code null}).
 *
 * <p>{@link #exactMatch} assembles the whole evaluation: for each pair, prompt the model with {@code "a+b="} (encoded by
 * {@code tok}), let it write greedily — {@code new llmbook.sample.Generator(model).stopAt(newlineId).greedy(prompt,
 * maxNew)} — decode what it added, parse the answer and count it right only if it equals a + b exactly. Returns the
 * share right. Run {@code ./llmbook grade 8} to see your score.
 */
public final class Scratchpad {
    private Scratchpad() {}

    public static String detailed(long a, long b) {
        throw new UnsupportedOperationException("TODO ch08.scratchpad: the columns x+y+c=SS lowest first, then ':' and the sum");
    }

    public static String answerOf(String completion) {
        throw new UnsupportedOperationException("TODO ch08.scratchpad: the digits after the last ':' up to a newline, or null");
    }

    public static double exactMatch(LanguageModel model, Tokenizer tok, List<long[]> sums, int maxNew) {
        throw new UnsupportedOperationException("TODO ch08.scratchpad: prompt a+b=, greedy with stop at newline, parse, compare");
    }
}
