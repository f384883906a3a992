package llmbook.exercises.ch08;

/**
 * Exercise ch08.zero_shot — zero-shot classification by how likely the model finds each label word. Q30.
 *
 * <p>With no example, a model can still classify: put the input and an instruction in the prompt, and ask which label
 * word the model would most likely write next. {@code tokenLogProbs[c]} holds the model's log-probability of each token of
 * label {@code c}'s word, in order, given the prompt and the earlier tokens of that word. {@link #classify} returns the
 * chosen label index (equal scores: the smaller index). With {@code perToken == false} a label scores the log-probability
 * of its whole word; with {@code perToken == true} it scores its average log-probability per token, so a label the
 * tokenizer happens to split into many pieces is not punished for its length. A label with no token is an
 * {@link IllegalArgumentException}.
 *
 * <p>Worked example: "positive" is one token with log-probability -2.0; "negative" is split as "neg" -1.2, "ative"
 * -0.9. The whole words score -2.0 and -2.1, so without {@code perToken} the answer is 0 (positive); per token they score
 * -2.0 and -1.05, so with {@code perToken} it is 1 (negative). Run {@code ./llmbook grade 8} to see your score.
 */
public final class ZeroShot {
    private ZeroShot() {}

    public static int classify(double[][] tokenLogProbs, boolean perToken) {
        throw new UnsupportedOperationException("TODO ch08.zero_shot: score each label word (whole or per token), pick the best");
    }
}
