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

    @Test
    void analogiesBy3CosAdd() {
        // king − man + woman = queen, in a 3-d toy space: axis 0 royalty, axis 1 gender, axis 2 noise
        java.util.List<String> w = java.util.List.of("man", "woman", "king", "queen", "apple");
        float[] m = {0, 1, 0.1f, 0, -1, 0.1f, 1, 1, 0, 1, -1, 0, 0.2f, 0, 1};
        Neighbours n = new Neighbours(m, 5, 3, w);
        assertEquals(3, n.analogy(0, 1, 2));                     // man:woman :: king:queen
        assertEquals(2, n.analogy(1, 0, 3));                     // woman:man :: queen:king
        double[] acc = n.analogyAccuracy(java.util.List.of(new String[] {"man", "woman", "king", "queen"}, new String[] {"man", "king", "woman", "apple"},
                new String[] {"man", "woman", "king", "prince"}));
        assertEquals(0.5, acc[0], 1e-12);                        // the third has a word not in the list: not asked
        assertEquals(2, acc[1]);
    }
}
