package llmbook.exercises.ch08;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import llmbook.retrieval.Bm25;
import llmbook.retrieval.Fusion;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch08.rrf", title = "Reciprocal-rank fusion")
class RrfTest {
    @Test
    @Points(value = 2, hint = "the worked example: [1, 2] and [2, 3] with k = 60 fuse to [2, 1, 3] (ranks start at 1)")
    void workedExample() {
        assertEquals(List.of(2, 1, 3), Rrf.fuse(List.of(List.of(1, 2), List.of(2, 3)), 60, 10));
    }

    @Test
    @Points(value = 1, hint = "ranks count from 1: with k = 0 the first place is worth 1/1 and the second 1/2, so [5, 6] and [6, 7] give 6 = 1.5 > 5 = 1")
    void ranksFromOne() {
        assertEquals(List.of(6, 5, 7), Rrf.fuse(List.of(List.of(5, 6), List.of(6, 7)), 0, 10));
    }

    @Test
    @Points(value = 1, hint = "equal totals: the smaller id first; and never more than top results")
    void tiesAndTop() {
        assertEquals(List.of(3, 4), Rrf.fuse(List.of(List.of(4, 9), List.of(3, 8)), 60, 2));
    }

    @Test
    @Points(value = 2, hint = "random rankings from three retrievers must fuse exactly as llmbook.retrieval.Fusion.rrf does")
    void matchesTheLibrary() {
        Random r = new Random(4);
        for (int trial = 0; trial < 20; trial++) {
            List<List<Integer>> lists = new ArrayList<>();
            List<List<Bm25.Hit>> hits = new ArrayList<>();
            for (int l = 0; l < 3; l++) {
                List<Integer> ids = new ArrayList<>();
                for (int i = 0; i < 40; i++) ids.add(i);
                java.util.Collections.shuffle(ids, r);
                List<Integer> top = ids.subList(0, 5 + r.nextInt(10));
                lists.add(top);
                hits.add(top.stream().map(d -> new Bm25.Hit(d, 0f)).toList());
            }
            List<Integer> want = Fusion.rrf(60, 8, hits.get(0), hits.get(1), hits.get(2)).stream().map(Bm25.Hit::doc).toList();
            assertEquals(want, Rrf.fuse(lists, 60, 8), "trial " + trial);
        }
    }
}
