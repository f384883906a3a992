package llmbook.exercises.ch10;

import java.util.List;
import llmbook.tensor.Rng;

/**
 * Exercise ch10.pair_builder — NSP and SOP examples for a sentence-pair head. Q27.
 *
 * <p>{@code docs} holds documents as lists of sentences (token ids). Use only documents with at least two non-empty
 * sentences (drop empty sentences first), in their order. One example is drawn from {@code rng} in this order:
 * <ol>
 *   <li>document {@code d = rng.nextInt(D)}, sentence {@code i = rng.nextInt(n − 1)} of its n: a = s_i, b = s_(i+1);</li>
 *   <li>{@code rng.nextDouble() < 0.5} → a positive, label 1, (a, b) as they are;</li>
 *   <li>otherwise label 0: for "SOP" the two are swapped (b, a); for "NSP" b is replaced by a sentence of another
 *       document: {@code e = rng.nextInt(D − 1)}, plus 1 if {@code e ≥ d}, then its sentence {@code rng.nextInt(m)}.</li>
 * </ol>
 * The example is {@code [CLS] a [SEP] b [SEP]}, each side first cut to {@code (maxLen − 3) / 2} tokens (a keeps its
 * last ones, b its first ones), with token types 0 up to and including the first [SEP] and 1 after.
 * Return {@code {ids, types, {label}}}. Worked example, maxLen 9, a = [5,6,7,8], b = [9,10,11,12], cls 100, sep 101:
 * ids [100, 6, 7, 8, 101, 9, 10, 11, 101], types [0, 0, 0, 0, 0, 1, 1, 1, 1].
 * Run {@code ./llmbook grade 10} to see your score.
 */
public final class PairBuilder {
    private PairBuilder() {}

    public static int[][] next(List<List<int[]>> docs, String task, int maxLen, int cls, int sep, Rng rng) {
        throw new UnsupportedOperationException("TODO ch10.pair_builder: draw a, b as documented, then [CLS] a [SEP] b [SEP] with types");
    }
}
