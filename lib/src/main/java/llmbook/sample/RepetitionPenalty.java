package llmbook.sample;

/**
 * Makes tokens already in the history less likely (Keskar et al., CTRL): a seen token's logit is divided by
 * {@code penalty} when positive and multiplied by it when negative, so it always moves down. Each token is penalised
 * once however often it occurred. {@code penalty = 1} changes nothing.
 */
public record RepetitionPenalty(float penalty) implements LogitsProcessor {
    public RepetitionPenalty {
        if (!(penalty >= 1) || Float.isInfinite(penalty))
            throw new IllegalArgumentException("RepetitionPenalty: penalty must be >= 1 and finite, got " + penalty);
    }

    @Override
    public void process(float[] logits, int[] history) {
        boolean[] seen = new boolean[logits.length];
        for (int id : history) {
            if (id < 0 || id >= logits.length || seen[id]) continue;
            seen[id] = true;
            logits[id] = logits[id] > 0 ? logits[id] / penalty : logits[id] * penalty;
        }
    }
}
