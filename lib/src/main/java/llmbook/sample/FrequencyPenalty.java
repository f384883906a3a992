package llmbook.sample;

/**
 * Subtracts {@code penalty × count} from the logit of every token already in the history, where count is how often it
 * occurred (the frequency penalty of the OpenAI API): unlike {@link RepetitionPenalty}, a token written five times
 * is pushed down five times as far. A token seen 3 times with penalty 0.5 loses 1.5 from its logit.
 */
public record FrequencyPenalty(float penalty) implements LogitsProcessor {
    public FrequencyPenalty {
        if (!(penalty >= 0) || Float.isInfinite(penalty))
            throw new IllegalArgumentException("FrequencyPenalty: penalty must be >= 0 and finite, got " + penalty);
    }

    @Override
    public void process(float[] logits, int[] history) {
        int[] count = new int[logits.length];
        for (int id : history) if (id >= 0 && id < logits.length) count[id]++;
        for (int i = 0; i < logits.length; i++) if (count[i] > 0) logits[i] -= penalty * count[i];
    }
}
