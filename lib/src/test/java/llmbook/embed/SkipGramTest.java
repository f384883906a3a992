package llmbook.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SkipGramTest {
    /** Two topics that never share a sentence: animals and colours. */
    static String twoTopics(long seed) {
        String[] animals = {"cat", "dog", "horse", "cow", "sheep"}, colours = {"red", "green", "blue", "yellow", "purple"};
        String[] animalCtx = {"the", "barks", "eats", "grass", "farm", "runs"}, colourCtx = {"paint", "bright", "shade", "wall", "light", "dark"};
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int s = 0; s < 4000; s++) {
            boolean a = r.nextBoolean();
            String[] w = a ? animals : colours, c = a ? animalCtx : colourCtx;
            for (int k = 0; k < 6; k++) sb.append(r.nextBoolean() ? w[r.nextInt(5)] : c[r.nextInt(6)]).append(' ');
            sb.append(". ");
        }
        return sb.toString();
    }

    static SkipGram.Config config() {
        return new SkipGram.Config(16, 2, 5, 1, 1000, 0, 0.05f, 3, 7);
    }

    @Test
    void wordsOfTheSameTopicBecomeNeighbours() {
        SkipGram sg = new SkipGram(twoTopics(1), config());
        sg.train(null);
        List<Double> loss = sg.epochLoss();
        assertEquals(3, loss.size());
        assertTrue(loss.get(2) < loss.get(0), "loss falls: " + loss);
        for (String w : List.of("cat", "red")) {
            var hits = sg.nearest(w, 3);
            List<String> group = w.equals("cat") ? List.of("dog", "horse", "cow", "sheep", "the", "barks", "eats", "grass", "farm", "runs")
                    : List.of("green", "blue", "yellow", "purple", "paint", "bright", "shade", "wall", "light", "dark");
            for (var h : hits) assertTrue(group.contains(h.word()), w + " -> " + hits);
        }
        double same = sg.neighbours().cosine(sg.indexOf("cat"), sg.indexOf("dog"));
        double across = sg.neighbours().cosine(sg.indexOf("cat"), sg.indexOf("blue"));
        assertTrue(same > across + 0.3, "cos(cat,dog) " + same + " vs cos(cat,blue) " + across);
    }

    @Test
    void sameSeedSameVectors() {
        SkipGram a = new SkipGram(twoTopics(1), config()), b = new SkipGram(twoTopics(1), config());
        assertArrayEquals(a.embeddings(), b.embeddings());
        a.train(null);
        b.train(null);
        assertArrayEquals(a.embeddings(), b.embeddings());
    }

    @Test
    void vocabularyIsSortedByCountAndLowerCased() {
        SkipGram sg = new SkipGram("The the THE whale whale sea", new SkipGram.Config(4, 2, 2, 1, 10, 0, 0.1f, 1, 1));
        assertEquals(List.of("the", "whale", "sea"), sg.words());
        assertEquals(3, sg.count("The"));
        assertEquals(-1, sg.indexOf("ship"));
    }
}
