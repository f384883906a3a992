package llmbook.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import llmbook.tensor.Rng;
import org.junit.jupiter.api.Test;

class ReverseTaskTest {
    @Test void layoutOfABatch() {
        var b = ReverseTask.of(List.of(ReverseTask.tokens("abc"), ReverseTask.tokens("de")));
        assertEquals(4, b.ts());
        assertEquals(4, b.tt());
        assertArrayEquals(new int[] {3, 4, 5, 2, 6, 7, 2, 0}, b.src());          // a b c EOS | d e EOS PAD
        assertArrayEquals(new int[] {4, 3}, b.srcLengths());
        assertArrayEquals(new int[] {1, 5, 4, 3, 1, 7, 6, 0}, b.tgtIn());        // BOS c b a | BOS e d PAD
        assertArrayEquals(new int[] {5, 4, 3, 2, 7, 6, 2, -1}, b.tgtOut());      // c b a EOS | e d EOS (unscored)
        assertEquals("cba", ReverseTask.text(ReverseTask.answer(ReverseTask.tokens("abc"))));
    }

    @Test void heldOutStringsNeverTrain() {
        var task = new ReverseTask(3, 1, 3);   // 3 + 9 + 27 = 39 strings in all
        Set<String> held = new HashSet<>();
        for (int[] s : task.heldOut(new Rng(1), 20).sources()) held.add(ReverseTask.text(s));
        assertEquals(20, held.size());
        for (int[] s : task.batch(new Rng(2), 500).sources()) assertFalse(held.contains(ReverseTask.text(s)), ReverseTask.text(s));
    }
}
