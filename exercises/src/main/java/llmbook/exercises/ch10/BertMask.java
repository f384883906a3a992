package llmbook.exercises.ch10;

import llmbook.tensor.Rng;

/**
 * Exercise ch10.bert_mask — BERT's masking, 15% then 80/10/10, with a seeded RNG. Q25.
 *
 * <p>Given a sequence of token ids, choose positions for the masked language model to predict, and noise them. Draw
 * from {@code rng} in exactly this order, so that a seed gives one answer:
 * <ol>
 *   <li>{@code n = max(1, round(0.15 · length))} (Java's {@code Math.round}); an empty sequence chooses nothing;</li>
 *   <li>shuffle the positions {@code 0 … length−1} with {@code rng.shuffle(int[])} and choose the first n;</li>
 *   <li>walk the chosen positions in increasing order; for each, {@code u = rng.nextDouble()}: u &lt; 0.8 → the id
 *       becomes {@code maskId}; u &lt; 0.9 → it becomes {@code rng.nextInt(vocab)}; otherwise it stays.</li>
 * </ol>
 * Return {@code {input, targets}}: the noised ids, and the original id at each chosen position with −1 elsewhere.
 * Worked example: 20 ids, seed 5 → n = 3 chosen positions, each with its original id as target; positions not
 * chosen are copied unchanged and have target −1. Over many sequences about 80% of the chosen become [MASK].
 * Run {@code ./llmbook grade 10} to see your score.
 */
public final class BertMask {
    private BertMask() {}

    public static int[][] mask(int[] ids, int maskId, int vocab, Rng rng) {
        throw new UnsupportedOperationException("TODO ch10.bert_mask: choose round(15%) positions by shuffling, then 80% [MASK] / 10% random / 10% kept");
    }
}
