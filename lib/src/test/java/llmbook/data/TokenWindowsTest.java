package llmbook.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import llmbook.tensor.Rng;
import org.junit.jupiter.api.Test;

class TokenWindowsTest {
    static final int[] IDS = new int[50];
    static { for (int i = 0; i < IDS.length; i++) IDS[i] = 100 + i; }      // token = 100 + its offset

    @Test
    void randomWindowsAreShiftedPairsAtTheRngsOffsets() {
        TokenWindows w = TokenWindows.random(IDS, 8);
        Rng rng = new Rng(3), same = new Rng(3);
        TokenBatch b = w.next(rng, 4);
        assertEquals(4, b.B());
        assertEquals(8, b.T());
        for (int r = 0; r < 4; r++) {
            int o = same.nextInt(IDS.length - 8);                         // one draw per window, nothing else
            for (int t = 0; t < 8; t++) {
                assertEquals(100 + o + t, b.x()[r * 8 + t]);
                assertEquals(100 + o + t + 1, b.y()[r * 8 + t]);
            }
        }
        assertEquals(same.nextLong(), rng.nextLong(), "the source used exactly B draws");
        assertEquals(32, w.tokens(b));
    }

    @Test
    void sequentialEpochsVisitEveryWindowInOrderThenWrap() {
        TokenWindows w = TokenWindows.sequential(IDS, 10);                  // (50 - 1) / 10 = 4 windows per epoch
        assertEquals(4, w.windowsPerEpoch());
        TokenBatch a = w.next(null, 3), b = w.next(null, 3);
        int[] starts = new int[6];
        for (int r = 0; r < 3; r++) { starts[r] = a.x()[r * 10] - 100; starts[3 + r] = b.x()[r * 10] - 100; }
        assertArrayEquals(new int[] {0, 10, 20, 30, 0, 10}, starts);
        assertEquals(1, w.epoch());
        assertEquals(111, b.y()[20], "y is x shifted by one (row 2: the window at 10)");
        w.seek(3);
        assertEquals(130, w.next(null, 1).x()[0]);
        assertThrows(IllegalArgumentException.class, () -> w.seek(-1));
    }

    @Test
    void tooShortAStreamIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> TokenWindows.random(new int[8], 8));
        assertTrue(e.getMessage().contains("context + 1 = 9"), e.getMessage());
    }

    @Test
    void paddingMarksTargetsMinusOne() {
        TokenBatch b = TokenBatch.padded(List.of(new int[] {5, 6, 7}, new int[] {8, 9}), 0);
        assertEquals(2, b.B());
        assertEquals(2, b.T());
        assertArrayEquals(new int[] {5, 6, 8, 0}, b.x());
        assertArrayEquals(new int[] {6, 7, 9, -1}, b.y());
        assertEquals(3, b.scored());
        var e = assertThrows(IllegalArgumentException.class, () -> TokenBatch.padded(List.of(new int[] {1}), 0));
        assertTrue(e.getMessage().contains("sequence 0 has 1 tokens"), e.getMessage());

        PaddedSequences s = new PaddedSequences(List.of(new int[] {1, 2, 3, 4}, new int[] {5, 6}), 0);
        TokenBatch r = s.next(new Rng(1), 8);
        assertEquals(8, r.B());
        long scored = Arrays.stream(r.y()).filter(t -> t != -1).count();
        assertEquals(scored, s.tokens(r), "tokens/s counts scored targets only");
        assertTrue(r.T() == 3 || r.T() == 1);
    }
}
