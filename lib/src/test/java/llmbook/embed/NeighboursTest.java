package llmbook.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class NeighboursTest {
    @Test
    void handWorkedCosines() {
        float[] m = {1, 0, 2, 0.1f, 0, 1, -1, 0};        // (4, 2): a, b (same direction as a), c, d (opposite)
        Neighbours nb = new Neighbours(m, 4, 2, List.of("a", "b", "c", "d"));
        var hits = nb.nearest(0, 3);
        assertEquals(List.of("b", "c", "d"), hits.stream().map(Neighbours.Hit::word).toList());
        assertEquals(2 / Math.sqrt(4.01), hits.get(0).cosine(), 1e-6);
        assertEquals(0, hits.get(1).cosine(), 1e-6);
        assertEquals(-1, hits.get(2).cosine(), 1e-6);
        assertEquals(1, nb.nearest(0, 1).size());
    }
}
