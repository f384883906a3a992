package llmbook.exercises.ch03;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import llmbook.embed.Neighbours;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch03.cosine_topk", title = "Cosine similarity and top-k neighbours")
class CosineTopKTest {
    static final float[][] WORKED = {{1, 0}, {2, 0.1f}, {0, 1}, {-1, 0}};

    @Test
    @Points(value = 1, hint = "cos = dot(u, v) / (|u| * |v|); |u| = sqrt(dot(u, u))")
    void cosineOfTheWorkedExample() {
        assertEquals(2 / Math.sqrt(4.01), CosineTopK.cosine(WORKED[0], WORKED[1]), 1e-6);
        assertEquals(0, CosineTopK.cosine(WORKED[0], WORKED[2]), 1e-9);
        assertEquals(-1, CosineTopK.cosine(WORKED[0], WORKED[3]), 1e-9);
        assertEquals(1, CosineTopK.cosine(new float[] {3, 4}, new float[] {30, 40}), 1e-9, "length does not matter");
    }

    @Test
    @Points(value = 1, hint = "a zero vector has no direction: return 0, not NaN; different lengths: IllegalArgumentException")
    void zeroVectorsAndBadLengths() {
        assertEquals(0, CosineTopK.cosine(new float[] {0, 0}, new float[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> CosineTopK.cosine(new float[2], new float[3]));
    }

    @Test
    @Points(value = 2, hint = "score every row except the query, sort by score descending, keep the first k")
    void topKOfTheWorkedExample() {
        assertArrayEquals(new int[] {1, 2}, CosineTopK.topK(WORKED, 0, 2));
        assertArrayEquals(new int[] {1, 2, 3}, CosineTopK.topK(WORKED, 0, 10), "fewer rows than k: all of them");
        assertArrayEquals(new int[] {0, 1}, CosineTopK.topK(new float[][] {{1, 1}, {2, 2}, {1, 1}}, 2, 2), "ties: smaller index first");
    }

    @Test
    @Points(value = 2, hint = "compare with the library's Neighbours on random 50-dimensional vectors")
    void agreesWithTheLibrary() {
        Random r = new Random(8);
        int n = 300, d = 50;
        float[][] rows = new float[n][d];
        float[] flat = new float[n * d];
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            labels.add("w" + i);
            for (int j = 0; j < d; j++) flat[i * d + j] = rows[i][j] = (float) r.nextGaussian();
        }
        Neighbours lib = new Neighbours(flat, n, d, labels);
        for (int q = 0; q < 20; q++) {
            int[] expected = lib.nearest(q, 5).stream().mapToInt(Neighbours.Hit::index).toArray();
            assertArrayEquals(expected, CosineTopK.topK(rows, q, 5), "neighbours of row " + q);
        }
    }
}
