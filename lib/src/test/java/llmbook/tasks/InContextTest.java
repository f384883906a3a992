package llmbook.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import llmbook.tokenizer.CharTokenizer;
import org.junit.jupiter.api.Test;

class InContextTest {
    @Test
    void examplesFollowTheirFunction() {
        Random r = new Random(1);
        char[] next = InContext.function(InContext.Family.NEXT, r);
        assertEquals('a', next[7], "h wraps to a");
        InContext.Example e = InContext.example(InContext.Family.NEXT, next, 3, r);
        assertTrue(e.prompt().startsWith("next: "));
        String body = e.prompt().substring(6);
        for (String pair : body.substring(0, body.length() - 1).split(";"))
            assertEquals(next[pair.charAt(0) - 'a'], pair.charAt(1), pair);
        assertEquals(String.valueOf(next[body.charAt(body.length() - 1) - 'a']), e.answer());
        char[] map = InContext.function(InContext.Family.MAP, r);
        Set<Character> image = new HashSet<>();
        for (char c : map) image.add(c);
        assertEquals(8, image.size(), "a map is one-to-one");
        for (int id : CharTokenizer.fit(InContext.ALPHABET).encode(e.prompt())) assertTrue(id != 0);
    }

    @Test
    void queryShownMeansTheQueryLetterIsAnExampleInput() {
        assertTrue(InContext.queryShown(new InContext.Example("map: cf;ah;eb;a", "h")));
        assertFalse(InContext.queryShown(new InContext.Example("map: cf;ha;eb;a", "?")), "a as an output only does not count");
        assertFalse(InContext.queryShown(new InContext.Example("map: a", "?")));
        List<InContext.Example> t = InContext.training(300, 8, 2);
        assertEquals(300, t.size());
    }
}
