package llmbook.exercises.ch02;

import java.util.List;
import java.util.Map;

/**
 * Exercise ch02.bpe_merge — the two steps of BPE training (Q1).
 *
 * <p>Training a byte-pair encoding repeats: count every adjacent pair of ids, take the most
 * frequent, and replace each of its occurrences by a brand-new id. Worked example:
 * <pre>
 * ids = [1, 2, 3, 1, 2]
 * pairCounts(ids)          = {(1,2)=2, (2,3)=1, (3,1)=1}
 * merge(ids, 1, 2, 4)      = [4, 3, 4]
 * merge([5,5,5], 5, 5, 9)  = [9, 5]        left to right, occurrences do not overlap
 * </pre>
 * Run {@code ./llmbook grade 2} to see your score; the library's version is
 * {@code llmbook.tokenizer.BpeTrainer}.
 */
public final class BpeMerge {
    private BpeMerge() {}

    /**
     * How often each adjacent pair {@code (ids[i], ids[i+1])} occurs, as a map from
     * {@code List.of(a, b)} to its count, in order of first occurrence.
     */
    public static Map<List<Integer>, Integer> pairCounts(int[] ids) {
        throw new UnsupportedOperationException("TODO ch02.bpe_merge: count each adjacent pair List.of(ids[i], ids[i+1]) in a LinkedHashMap");
    }

    /**
     * A new array where every occurrence of the pair {@code (a, b)}, scanning left to right and
     * never reusing an id of an occurrence already replaced, becomes {@code newId}. The input is
     * not modified.
     */
    public static int[] merge(int[] ids, int a, int b, int newId) {
        throw new UnsupportedOperationException("TODO ch02.bpe_merge: scan left to right; on (a, b) emit newId and skip two, else copy one");
    }
}
