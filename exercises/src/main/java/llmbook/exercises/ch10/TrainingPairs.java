package llmbook.exercises.ch10;

/**
 * Exercise ch10.training_pairs — one token sequence, two training objectives. Q26.
 *
 * <p>Goal: build the (input, target) rows a model is trained on, for an autoregressive (GPT-style) model and for
 * a masked (BERT-style) model, from the same sequence. {@link #causal} returns {inputs, targets}: the model reads
 * every token but the last, and at every position the target is the token that comes next. {@link #masked}
 * returns {inputs, targets} of the sequence's own length: the chosen positions are replaced by the mask id in the
 * input and are the only positions scored — every other target is {@link #IGNORE}. The input sequence itself
 * is never changed. A position outside the sequence is an {@link IllegalArgumentException} naming it.
 * Worked example: tokens (5, 6, 7, 8): causal gives inputs (5, 6, 7), targets (6, 7, 8) — 3 scored tokens;
 * masked at position 1 with mask id 0 gives inputs (5, 0, 7, 8), targets (IGNORE, 6, IGNORE, IGNORE) — 1 scored token.
 * Run {@code ./llmbook grade 10} to see your score.
 */
public final class TrainingPairs {
    private TrainingPairs() {}

    /** The target value of a position the loss skips. */
    public static final int IGNORE = -100;

    public static int[][] causal(int[] tokens) {
        throw new UnsupportedOperationException("TODO ch10.training_pairs: inputs and next-token targets");
    }

    public static int[][] masked(int[] tokens, int[] positions, int maskId) {
        throw new UnsupportedOperationException("TODO ch10.training_pairs: mask the positions; score only them");
    }
}
