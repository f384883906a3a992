package llmbook.exercises.ch02;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch02.bpe_merge", title = "BPE training steps: count pairs, merge a pair")
class BpeMergeTest {

    @Test
    @Points(value = 1, hint = "walk i from 0 to length-2 and count List.of(ids[i], ids[i+1]) in a LinkedHashMap")
    void pairCountsOfTheWorkedExample() {
        Map<List<Integer>, Integer> expected = new LinkedHashMap<>();
        expected.put(List.of(1, 2), 2);
        expected.put(List.of(2, 3), 1);
        expected.put(List.of(3, 1), 1);
        assertEquals(expected, BpeMerge.pairCounts(new int[] {1, 2, 3, 1, 2}));
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(BpeMerge.pairCounts(new int[] {1, 2, 3, 1, 2}).keySet()),
                "keys in order of first occurrence");
        assertEquals(Map.of(), BpeMerge.pairCounts(new int[] {7}), "one id has no pair");
        assertEquals(Map.of(), BpeMerge.pairCounts(new int[0]));
    }

    @Test
    @Points(value = 1, hint = "overlapping pairs count every time: [5,5,5] has the pair (5,5) twice")
    void overlappingPairsAreCountedEachTime() {
        assertEquals(Map.of(List.of(5, 5), 2), BpeMerge.pairCounts(new int[] {5, 5, 5}));
    }

    @Test
    @Points(value = 2, hint = "on a match emit newId and jump two places; otherwise copy one id and move one")
    void mergeOfTheWorkedExample() {
        int[] ids = {1, 2, 3, 1, 2};
        assertArrayEquals(new int[] {4, 3, 4}, BpeMerge.merge(ids, 1, 2, 4));
        assertArrayEquals(new int[] {1, 2, 3, 1, 2}, ids, "the input must not change");
        assertArrayEquals(new int[] {1, 2, 3}, BpeMerge.merge(new int[] {1, 2, 3}, 3, 1, 9), "no occurrence: a copy");
        assertArrayEquals(new int[] {2}, BpeMerge.merge(new int[] {2}, 2, 2, 9));
        assertArrayEquals(new int[0], BpeMerge.merge(new int[0], 1, 2, 9));
    }

    @Test
    @Points(value = 1, hint = "after replacing (5,5) the second 5 is used up: [5,5,5] -> [9,5], [5,5,5,5] -> [9,9]")
    void occurrencesDoNotOverlap() {
        assertArrayEquals(new int[] {9, 5}, BpeMerge.merge(new int[] {5, 5, 5}, 5, 5, 9));
        assertArrayEquals(new int[] {9, 9}, BpeMerge.merge(new int[] {5, 5, 5, 5}, 5, 5, 9));
    }

    @Test
    @Points(value = 2, hint = "ten merges of the most frequent pair on a real sentence must match a careful reference")
    void tenRoundsOfTrainingOnRealText() {
        byte[] text = "the cat sat on the mat; the hat that the cat had".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int[] ids = new int[text.length];
        for (int i = 0; i < ids.length; i++) ids[i] = text[i] & 0xff;
        int[] ref = ids.clone();
        for (int round = 0; round < 10; round++) {
            Map<List<Integer>, Integer> counts = BpeMerge.pairCounts(ids);
            List<Integer> best = null;
            for (var e : counts.entrySet()) if (best == null || e.getValue() > counts.get(best)) best = e.getKey();
            int[] expected = referenceMerge(ref, best.get(0), best.get(1), 256 + round);
            ids = BpeMerge.merge(ids, best.get(0), best.get(1), 256 + round);
            assertArrayEquals(expected, ids, "round " + round + " merging " + best);
            ref = expected;
        }
        assertEquals(true, ids.length < text.length / 2 + 10, "ten merges compress the sentence: " + ids.length);
    }

    @Test
    @Points(value = 1, hint = "a long random sequence with many repeats must merge like the reference")
    void randomSequences() {
        Random r = new Random(4);
        for (int t = 0; t < 200; t++) {
            int[] ids = new int[r.nextInt(50)];
            for (int i = 0; i < ids.length; i++) ids[i] = r.nextInt(3);
            int a = r.nextInt(3), b = r.nextInt(3);
            assertArrayEquals(referenceMerge(ids, a, b, 7), BpeMerge.merge(ids, a, b, 7));
        }
    }

    private static int[] referenceMerge(int[] ids, int a, int b, int id) {
        List<Integer> out = new ArrayList<>();
        int i = 0;
        while (i < ids.length) {
            if (i < ids.length - 1 && ids[i] == a && ids[i + 1] == b) {
                out.add(id);
                i += 2;
            } else {
                out.add(ids[i]);
                i += 1;
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
