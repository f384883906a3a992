package llmbook.objectives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import llmbook.tensor.Rng;
import org.junit.jupiter.api.Test;

/** BERT masking (Q25): exact draws, 15% / 80-10-10 statistics, specials, whole words. */
class MaskingTest {
    static final int MASK = 99, V = 50;

    @Test
    void exactPositionsFollowTheDocumentedDraws() {
        int[] ids = {7, 3, 9, 4, 8, 2, 6, 5, 1, 0, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
        Masking.Masked m = Masking.bert().apply(ids, MASK, V, id -> true, null, new Rng(5));
        // replay the documented procedure by hand: 20 candidates, n = round(3) = 3
        Rng r = new Rng(5);
        int[] order = new int[20];
        for (int i = 0; i < 20; i++) order[i] = i;
        r.shuffle(order);
        boolean[] chosen = new boolean[20];
        for (int k = 0; k < 3; k++) chosen[order[k]] = true;
        int[] input = ids.clone(), targets = new int[20];
        java.util.Arrays.fill(targets, -1);
        for (int p = 0; p < 20; p++) {
            if (!chosen[p]) continue;
            targets[p] = ids[p];
            double u = r.nextDouble();
            if (u < 0.8) input[p] = MASK; else if (u < 0.9) input[p] = r.nextInt(V);
        }
        assertArrayEquals(targets, m.targets());
        assertArrayEquals(input, m.input());
        assertEquals(3, m.count());
    }

    @Test
    void fifteenPercentThenEightyTenTen() {
        Rng rng = new Rng(1);
        int[] ids = new int[200];
        for (int i = 0; i < ids.length; i++) ids[i] = i % V;
        long chosen = 0, masked = 0, random = 0, kept = 0, total = 0;
        for (int rep = 0; rep < 500; rep++) {
            Masking.Masked m = Masking.bert().apply(ids, MASK, V, id -> true, null, rng);
            total += ids.length;
            for (int i = 0; i < ids.length; i++) {
                if (m.targets()[i] < 0) { assertEquals(ids[i], m.input()[i], "unchosen positions are untouched"); continue; }
                chosen++;
                if (m.input()[i] == MASK) masked++;
                else if (m.input()[i] == ids[i]) kept++;
                else random++;
            }
        }
        assertEquals(0.15, (double) chosen / total, 1e-9, "exactly round(15%) per sequence");
        assertEquals(0.8, (double) masked / chosen, 0.015);
        assertEquals(0.1 - 0.1 / V, (double) random / chosen, 0.01);       // a random draw equal to the token counts as kept
        assertEquals(0.1 + 0.1 / V, (double) kept / chosen, 0.01);
    }

    @Test
    void specialsAreNeverChosen() {
        int[] ids = {100, 1, 2, 3, 101, 4, 5, 101};                      // [CLS] a a a [SEP] b b [SEP]
        for (int s = 0; s < 50; s++) {
            Masking.Masked m = new Masking(0.5, 1, 0, false).apply(ids, MASK, V, id -> id < 100, null, new Rng(s));
            assertEquals(-1, m.targets()[0]);
            assertEquals(-1, m.targets()[4]);
            assertEquals(-1, m.targets()[7]);
            assertEquals(3, m.count(), "round(0.5 · 5 candidates) = 3 (round half up)");
        }
    }

    @Test
    void wholeWordMasksEveryPieceOfAWord() {
        int[] ids = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        boolean[] start = {true, false, false, true, true, false, true, true, false, false};   // words [0-2] [3] [4-5] [6] [7-9]
        List<int[]> words = List.of(new int[] {0, 1, 2}, new int[] {3}, new int[] {4, 5}, new int[] {6}, new int[] {7, 8, 9});
        for (int s = 0; s < 50; s++) {
            Masking.Masked m = new Masking(0.2, 1, 0, true).apply(ids, MASK, V, id -> true, start, new Rng(s));
            assertTrue(m.count() >= 2, "at least round(0.2 · 10) = 2 positions");
            for (int[] w : words) {
                boolean first = m.targets()[w[0]] >= 0;
                for (int p : w) assertEquals(first, m.targets()[p] >= 0, "a word is chosen whole (seed " + s + ")");
            }
        }
    }

    @Test
    void wordVocabEncodesWordsAndKeepsUnknownsAndSpecialsOutOfMasking() {
        WordVocab v = WordVocab.fit("The union is strong. The union is free.", 100);
        int[] ids = v.encode("The Union is strong, zebra.");
        assertEquals("the union is strong <unk> <unk> .", v.decode(ids), "\",\" and \"zebra\" were never seen");
        assertTrue(!v.regular(0) && !v.regular(v.pad) && !v.regular(v.cls) && !v.regular(v.sep) && !v.regular(v.mask));
        assertTrue(v.regular(ids[0]));
        assertEquals(v.words.vocabSize() + 4, v.size());
    }

    @Test
    void refusesBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new Masking(0, 0.8, 0.1, false));
        assertThrows(IllegalArgumentException.class, () -> new Masking(0.15, 0.8, 0.3, false));
        var e = assertThrows(IllegalArgumentException.class, () -> Masking.bert().apply(new int[3], MASK, V, id -> true, new boolean[2], new Rng(1)));
        assertEquals("Masking: 2 word-start flags for 3 tokens", e.getMessage());
    }
}
