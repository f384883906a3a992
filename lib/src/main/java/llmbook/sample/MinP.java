package llmbook.sample;

/**
 * Keeps the tokens at least {@code minP} times as likely as the most likely one, {@code p_i ≥ minP · p_max}, and sets
 * the rest to {@code −∞}: a cut that follows the model's confidence — few tokens when one dominates, many when the
 * distribution is flat. In logits: {@code l_i ≥ l_max + ln(minP)}.
 */
public record MinP(float minP) implements LogitsProcessor {
    public MinP {
        if (!(minP > 0 && minP <= 1)) throw new IllegalArgumentException("MinP: minP must be in (0, 1], got " + minP);
    }

    @Override
    public void process(float[] logits, int[] history) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double cut = max + Math.log(minP);
        for (int i = 0; i < logits.length; i++) if (logits[i] < cut) logits[i] = Float.NEGATIVE_INFINITY;
    }
}
