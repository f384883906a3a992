package llmbook.align;

/**
 * One preference: two completions of the same prompt, the {@code chosen} one scored higher by the reward than the
 * {@code rejected} one (token ids; both of the same length).
 */
public record PreferencePair(int[] prompt, int[] chosen, int[] rejected, double chosenReward, double rejectedReward) {
    public PreferencePair {
        if (chosen.length != rejected.length)
            throw new IllegalArgumentException("PreferencePair: chosen (" + chosen.length + ") and rejected (" + rejected.length + ") lengths differ");
    }

    /** Prompt + chosen completion, one row of ids. */
    public int[] chosenRow() { return Rollouts.concat(prompt, chosen); }

    /** Prompt + rejected completion. */
    public int[] rejectedRow() { return Rollouts.concat(prompt, rejected); }
}
