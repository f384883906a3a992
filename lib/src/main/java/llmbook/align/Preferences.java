package llmbook.align;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import llmbook.model.LanguageModel;
import llmbook.tensor.Rng;
import llmbook.tokenizer.Tokenizer;

/**
 * A preference data set made by the model itself, as in RLHF's first stage: prompts cut from a text, {@code k}
 * completions of each sampled from the base model, the best and the worst by the reward kept as (chosen, rejected).
 * Prompts whose completions all score the same carry no preference and are skipped.
 * <pre>{@code
 * Afinn afinn = Afinn.load();
 * List<PreferencePair> pairs = Preferences.sample(base, tok, tok.encode(text), 300, 16, 32, 4,
 *         s -> afinn.score(s), new Rng(1));
 * }</pre>
 */
public final class Preferences {
    private Preferences() {}

    /** A random prompt of {@code promptLen} tokens of {@code text}. */
    public static int[] prompt(int[] text, int promptLen, Rng rng) {
        if (text.length <= promptLen) throw new IllegalArgumentException("Preferences: a text of " + text.length + " tokens is too short for prompts of " + promptLen);
        int s = rng.nextInt(text.length - promptLen);
        return Arrays.copyOfRange(text, s, s + promptLen);
    }

    /**
     * Up to {@code pairs} preference pairs (fewer if 10 × pairs prompts give no preference): for each random prompt of
     * {@code text}, {@code k} completions of {@code length} tokens sampled from {@code base} at temperature 1, scored by
     * {@code reward} on their decoded text; the highest becomes chosen, the lowest rejected, ties skipped.
     */
    public static List<PreferencePair> sample(LanguageModel base, Tokenizer tok, int[] text, int pairs, int promptLen, int length, int k,
                                              ToDoubleFunction<String> reward, Rng rng) {
        if (k < 2) throw new IllegalArgumentException("Preferences.sample: need k >= 2 completions per prompt to compare, got " + k);
        List<PreferencePair> out = new ArrayList<>(pairs);
        for (int tries = 0; out.size() < pairs && tries < 10 * pairs; tries++) {
            int[] p = prompt(text, promptLen, rng);
            int[][] c = Rollouts.sample(base, p, k, length, 1f, rng);
            int best = 0, worst = 0;
            double[] r = new double[k];
            for (int i = 0; i < k; i++) {
                r[i] = reward.applyAsDouble(tok.decode(c[i]));
                if (r[i] > r[best]) best = i;
                if (r[i] < r[worst]) worst = i;
            }
            if (r[best] > r[worst]) out.add(new PreferencePair(p, c[best], c[worst], r[best], r[worst]));
        }
        return out;
    }

    /**
     * Preference pairs with a clear margin, several per prompt: for each of {@code prompts} random prompts of {@code text},
     * {@code k} completions of {@code length} tokens are sampled from {@code base} (temperature 1) and sorted by
     * {@code reward}; the best is paired with the worst, the second best with the second worst, and so on (disjoint
     * pairs), as long as the two differ by at least {@code minMargin} and at most {@code maxPerPrompt} pairs per prompt.
     * Ties and near-ties carry almost no preference (and under a noisy reward, the wrong one half the time): they are
     * dropped rather than learned.
     */
    public static List<PreferencePair> ranked(LanguageModel base, Tokenizer tok, int[] text, int prompts, int promptLen, int length, int k,
                                              double minMargin, int maxPerPrompt, ToDoubleFunction<String> reward, Rng rng) {
        if (k < 2) throw new IllegalArgumentException("Preferences.ranked: need k >= 2 completions per prompt to compare, got " + k);
        if (!(minMargin > 0)) throw new IllegalArgumentException("Preferences.ranked: minMargin must be > 0 (ties carry no preference), got " + minMargin);
        if (maxPerPrompt < 1) throw new IllegalArgumentException("Preferences.ranked: maxPerPrompt must be >= 1, got " + maxPerPrompt);
        List<PreferencePair> out = new ArrayList<>();
        for (int n = 0; n < prompts; n++) {
            int[] p = prompt(text, promptLen, rng);
            int[][] c = Rollouts.sample(base, p, k, length, 1f, rng);
            double[] r = new double[k];
            Integer[] order = new Integer[k];
            for (int i = 0; i < k; i++) { r[i] = reward.applyAsDouble(tok.decode(c[i])); order[i] = i; }
            Arrays.sort(order, (a, b) -> Double.compare(r[b], r[a]));                 // best first; stable for ties
            for (int i = 0; i < Math.min(maxPerPrompt, k / 2); i++) {
                int hi = order[i], lo = order[k - 1 - i];
                if (r[hi] - r[lo] < minMargin) break;                                 // inner pairs are closer still
                out.add(new PreferencePair(p, c[hi], c[lo], r[hi], r[lo]));
            }
        }
        return out;
    }
}
