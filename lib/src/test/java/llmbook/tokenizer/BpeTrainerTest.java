package llmbook.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BpeTrainerTest {
    @Test
    void workedExampleMergesTheMostFrequentPairFirst() {
        BpeTokenizer t = BpeTrainer.train("aaabdaaabac", 259);
        // (a,a) occurs 4 times; then (a,b) and (Z,a) tie at 2 and the smaller pair (97, 98) wins.
        assertArrayEquals(new int[] {'a', 'a', 256}, t.mergeLeft());
        assertArrayEquals(new int[] {'a', 'b', 257}, t.mergeRight());
        assertEquals("aa", t.piece(256));
        assertEquals("ab", t.piece(257));
        assertEquals("aaab", t.piece(258));
        assertArrayEquals(new int[] {258, 'd', 258, 'a', 'c'}, t.encode("aaabdaaabac"));
    }

    @Test
    void mergeWordReplacesNonOverlappingPairsLeftToRight() {
        assertArrayEquals(new int[] {4, 3, 4}, BpeTrainer.mergeWord(new int[] {1, 2, 3, 1, 2}, 1, 2, 4));
        assertArrayEquals(new int[] {9, 9, 7}, BpeTrainer.mergeWord(new int[] {7, 7, 7, 7, 7}, 7, 7, 9));
    }

    /** The obvious trainer: recount every pair of every word before each merge. */
    static List<int[]> naiveMerges(String text, int merges) {
        Map<String, Long> pieces = new HashMap<>();
        for (String p : SplitPattern.GPT2.split(text)) pieces.merge(p, 1L, Long::sum);
        List<int[]> words = new ArrayList<>();
        List<Long> freq = new ArrayList<>();
        for (var e : pieces.entrySet()) {
            byte[] b = e.getKey().getBytes(StandardCharsets.UTF_8);
            int[] w = new int[b.length];
            for (int i = 0; i < b.length; i++) w[i] = b[i] & 0xff;
            words.add(w);
            freq.add(e.getValue());
        }
        List<int[]> out = new ArrayList<>();
        for (int m = 0; m < merges; m++) {
            Map<Long, Long> counts = new HashMap<>();
            for (int k = 0; k < words.size(); k++) {
                int[] w = words.get(k);
                for (int i = 0; i + 1 < w.length; i++) counts.merge(((long) w[i] << 32) | w[i + 1], freq.get(k), Long::sum);
            }
            long best = -1, bestCount = 0;
            for (var e : counts.entrySet()) {
                if (e.getValue() > bestCount || (e.getValue() == bestCount && e.getKey() < best)) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            }
            if (best < 0) break;
            int a = (int) (best >>> 32), b = (int) best;
            out.add(new int[] {a, b});
            for (int k = 0; k < words.size(); k++) words.set(k, BpeTrainer.mergeWord(words.get(k), a, b, 256 + m));
        }
        return out;
    }

    @Test
    void incrementalTrainingEqualsFullRecount() {
        Random r = new Random(3);
        String[] vocab = {"the", " whale", " sea", " ship", "Ahab", " of", "aaa", "  ", "\n", "!", " 42", "ée", "😀"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3000; i++) sb.append(vocab[r.nextInt(vocab.length)]);
        String text = sb.toString() + TestText.mobyDick().substring(0, 20_000);
        int merges = 300;
        List<int[]> expected = naiveMerges(text, merges);
        BpeTokenizer t = BpeTrainer.train(text, 256 + merges);
        assertEquals(expected.size(), t.mergeCount());
        for (int m = 0; m < expected.size(); m++) {
            assertEquals(expected.get(m)[0], t.mergeLeft()[m], "left of merge " + m);
            assertEquals(expected.get(m)[1], t.mergeRight()[m], "right of merge " + m);
        }
    }

    @Test
    void specialTokensAreNeverSplitAndNotLearned() {
        String eot = "<|endoftext|>";
        String text = (TokenizerContractTest.TRAIN + eot).repeat(20);
        BpeTokenizer t = BpeTrainer.train(text, 280, SplitPattern.GPT2, List.of(eot), null);
        assertEquals(280, t.vocabSize());
        int id = t.specialTokens().get(eot);
        assertEquals(279, id);
        for (int m = 0; m < t.mergeCount(); m++) assertTrue(!t.piece(256 + m).contains("|>"), t.piece(256 + m));
        int[] ids = t.encode("x" + eot + eot + "y");
        assertEquals(id, ids[1]);
        assertEquals(id, ids[2]);
        assertEquals("x" + eot + eot + "y", t.decode(ids));
        assertTrue(t.encodeOrdinary(eot).length > 1, "encodeOrdinary treats it as text");
    }

    @Test
    void stopsEarlyWhenTheTextRunsOutOfPairs() {
        BpeTokenizer t = BpeTrainer.train("ab", 1000);
        assertEquals(1, t.mergeCount());
        assertEquals(257, t.vocabSize());
    }

    @Test
    void truncatingMergesEqualsTrainingSmaller() {
        String text = TestText.mobyDick().substring(0, 50_000);
        BpeTokenizer big = BpeTrainer.train(text, 600);
        BpeTokenizer small = BpeTrainer.train(text, 400);
        assertArrayEquals(small.mergeLeft(), big.withVocabSize(400).mergeLeft());
        assertArrayEquals(small.mergeRight(), big.withVocabSize(400).mergeRight());
    }

    @Test
    void refusesImpossibleSizes() {
        var e = assertThrows(IllegalArgumentException.class, () -> BpeTrainer.train("x", 100));
        assertTrue(e.getMessage().contains("100"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BpeTrainer.train("x", 70_000));
        assertTrue(e.getMessage().contains("65536"), e.getMessage());
    }

    @Test
    void trainsOnTheWholeBookAndCompresses() {
        String text = TestText.mobyDick();
        BpeTokenizer t = BpeTrainer.train(text, 1024);
        int[] ids = t.encode(text);
        assertEquals(text, t.decode(ids));
        double bytesPerToken = (double) text.getBytes(StandardCharsets.UTF_8).length / ids.length;
        assertTrue(bytesPerToken > 2.5, "bytes per token " + bytesPerToken);
    }
}
