// HOSTILE FIXTURE for GradeTest: the solution, except that merge is renamed mergePair, so the grader cannot compile against it.
package llmbook.exercises.ch02;

import java.util.LinkedHashMap;
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
        Map<List<Integer>, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < ids.length; i++) counts.merge(List.of(ids[i], ids[i + 1]), 1, Integer::sum);
        return counts;
    }

    /**
     * A new array where every occurrence of the pair {@code (a, b)}, scanning left to right and
     * never reusing an id of an occurrence already replaced, becomes {@code newId}. The input is
     * not modified.
     */
    public static int[] mergePair(int[] ids, int a, int b, int newId) {
        int[] out = new int[ids.length];
        int n = 0;
        for (int i = 0; i < ids.length; ) {
            if (i + 1 < ids.length && ids[i] == a && ids[i + 1] == b) {
                out[n++] = newId;
                i += 2;
            } else {
                out[n++] = ids[i++];
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
