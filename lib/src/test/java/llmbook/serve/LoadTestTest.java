package llmbook.serve;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.Test;

class LoadTestTest {
    @Test
    void everyBoundedRequestIsAnsweredAndBatchingFormsBatches() throws Exception {
        var model = new BatchingTest.Slow(BatchingTest.tiny(), 5);
        List<LoadTest.Row> rows = LoadTest.run(model, BatchingTest.TOK, new LoadTest.Plan(new int[] {1, 4}, 2, 6, 60));
        assertEquals(4, rows.size());
        for (LoadTest.Row r : rows) {
            assertEquals(r.clients() * 2, r.completed(), r.toString());
            assertEquals(0, r.refused() + r.failed(), r.toString());
            assertTrue(r.p50Ms() > 0 && r.p50Ms() <= r.p99Ms(), r.toString());
            assertTrue(r.tokensPerSecond() > 0, r.toString());
        }
        LoadTest.Row on4 = rows.get(1), off4 = rows.get(3);
        assertTrue(on4.batching() && on4.clients() == 4 && on4.meanBatch() > 1.2, "four clients at once never shared passes: " + on4);
        assertEquals(1, off4.meanBatch());
    }

    @Test
    void percentilesAreNearestRank() {
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5, LoadTest.percentile(x, 0.5));
        assertEquals(10, LoadTest.percentile(x, 0.99));
        assertTrue(Double.isNaN(LoadTest.percentile(new double[0], 0.5)));
        assertThrows(IllegalArgumentException.class, () -> new LoadTest.Plan(new int[] {0}, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new LoadTest.Plan(new int[] {1}, 1, 1, 601));
    }
}
