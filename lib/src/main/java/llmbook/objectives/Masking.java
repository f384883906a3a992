package llmbook.objectives;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;
import llmbook.tensor.Rng;

/**
 * BERT's masked-language-model noising (Q25): choose {@code rate} of the positions, and of those replace 80% by
 * {@code [MASK]}, 10% by a random token and keep 10% unchanged; the model must recover the original token at every
 * chosen position (and only there). The random and kept tenths stop it from learning "only [MASK] positions matter":
 * at fine-tuning time there is no [MASK], so every position's representation must carry its own token's evidence.
 *
 * <p>The procedure, exactly (the exercise and the tests rely on this order of random draws):
 * <ol>
 *   <li>the candidates are the positions whose token is {@code maskable} ([CLS], [SEP], padding are not);</li>
 *   <li>units are single candidates, or with {@code wholeWord} runs of adjacent candidates that form one word (a
 *       unit starts where {@code wordStart[i]} is true or the previous position was not a candidate);</li>
 *   <li>{@code n = max(1, round(rate · candidates))}; the unit indices 0…U−1 are shuffled with
 *       {@link Rng#shuffle} and units are taken in that order until at least n positions are chosen;</li>
 *   <li>in increasing position order, each chosen position draws {@code u = rng.nextDouble()}: u &lt; 0.8 →
 *       [MASK], u &lt; 0.9 → {@code rng.nextInt(vocab)}, else the token is kept.</li>
 * </ol>
 * <pre>
 *   ids [7, 3, 9, 4, 8, 2, 6, 5, 1, 0]  rate 0.15  →  n = 2 positions, e.g. 3 and 8:
 *   input   [7, 3, 9, MASK, 8, 2, 6, 5, 1, 0]   (position 8 drew u ≥ 0.9: kept)
 *   targets [−1, −1, −1, 4, −1, −1, −1, −1, 1, −1]
 * </pre>
 * Whole-word masking (BERT's 2019 release) chooses all pieces of a word together, so "phil ##har ##monic" cannot be
 * solved from its own other pieces.
 *
 * @param rate       fraction of the candidate positions chosen (BERT 0.15)
 * @param maskProb   of the chosen, the fraction replaced by [MASK] (0.8)
 * @param randomProb of the chosen, the fraction replaced by a random token (0.1); the rest are kept
 * @param wholeWord  choose whole words rather than single tokens
 */
public record Masking(double rate, double maskProb, double randomProb, boolean wholeWord) {
    public Masking {
        if (!(rate > 0 && rate <= 1)) throw new IllegalArgumentException("Masking: rate must be in (0, 1], got " + rate);
        if (!(maskProb >= 0 && randomProb >= 0 && maskProb + randomProb <= 1))
            throw new IllegalArgumentException("Masking: mask and random fractions must be >= 0 and sum to at most 1, got " + maskProb + " + " + randomProb);
    }

    /** BERT's: 15%, then 80/10/10, single tokens. */
    public static Masking bert() { return new Masking(0.15, 0.8, 0.1, false); }

    /** This masking at another rate (e.g. 0.4, Wettig et al. 2023). */
    public Masking withRate(double r) { return new Masking(r, maskProb, randomProb, wholeWord); }

    /** This masking choosing whole words. */
    public Masking withWholeWord(boolean w) { return new Masking(rate, maskProb, randomProb, w); }

    /** The noised input and its targets (−1 = not scored), both as long as the original. */
    public record Masked(int[] input, int[] targets) {
        /** Number of scored positions. */
        public int count() { return (int) Arrays.stream(targets).filter(t -> t >= 0).count(); }
    }

    /**
     * Noises {@code ids} as the class comment says. {@code wordStart} (may be null: every token is a word) marks the
     * positions that begin a word, used only with {@link #wholeWord}; random replacements are drawn from [0, vocab).
     */
    public Masked apply(int[] ids, int maskId, int vocab, IntPredicate maskable, boolean[] wordStart, Rng rng) {
        if (wordStart != null && wordStart.length != ids.length)
            throw new IllegalArgumentException("Masking: " + wordStart.length + " word-start flags for " + ids.length + " tokens");
        if (vocab < 1) throw new IllegalArgumentException("Masking: vocab must be >= 1, got " + vocab);
        List<int[]> units = new ArrayList<>();                 // each unit: its positions
        int candidates = 0;
        for (int i = 0; i < ids.length; ) {
            if (!maskable.test(ids[i])) { i++; continue; }
            int j = i + 1;
            if (wholeWord && wordStart != null)
                while (j < ids.length && maskable.test(ids[j]) && !wordStart[j]) j++;
            int[] u = new int[j - i];
            for (int q = 0; q < u.length; q++) u[q] = i + q;
            units.add(u);
            candidates += u.length;
            i = j;
        }
        int[] input = ids.clone(), targets = new int[ids.length];
        Arrays.fill(targets, -1);
        if (candidates == 0) return new Masked(input, targets);
        int n = Math.max(1, (int) Math.round(rate * candidates));
        int[] order = new int[units.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        rng.shuffle(order);
        boolean[] chosen = new boolean[ids.length];
        for (int k = 0, got = 0; k < order.length && got < n; k++)
            for (int p : units.get(order[k])) { chosen[p] = true; got++; }
        for (int p = 0; p < ids.length; p++) {
            if (!chosen[p]) continue;
            targets[p] = ids[p];
            double u = rng.nextDouble();
            if (u < maskProb) input[p] = maskId;
            else if (u < maskProb + randomProb) input[p] = rng.nextInt(vocab);
        }
        return new Masked(input, targets);
    }
}
