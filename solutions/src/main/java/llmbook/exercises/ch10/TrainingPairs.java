package llmbook.exercises.ch10;

import java.util.Arrays;

/** Reference solution of ch10.training_pairs (see the starter for the statement). Q26. */
public final class TrainingPairs {
    private TrainingPairs() {}

    public static final int IGNORE = -100;

    public static int[][] causal(int[] tokens) {
        int n = Math.max(0, tokens.length - 1);
        return new int[][] {Arrays.copyOfRange(tokens, 0, n), Arrays.copyOfRange(tokens, tokens.length - n, tokens.length)};
    }

    public static int[][] masked(int[] tokens, int[] positions, int maskId) {
        int[] in = tokens.clone(), target = new int[tokens.length];
        Arrays.fill(target, IGNORE);
        for (int p : positions) {
            if (p < 0 || p >= tokens.length)
                throw new IllegalArgumentException("mask position " + p + " is outside a sequence of " + tokens.length);
            in[p] = maskId;
            target[p] = tokens[p];
        }
        return new int[][] {in, target};
    }
}
