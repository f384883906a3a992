package llmbook.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import llmbook.retrieval.Bm25;
import llmbook.retrieval.Terms;
import llmbook.tokenizer.CharTokenizer;
import org.junit.jupiter.api.Test;

class FactBaseTest {
    @Test
    void newFactsHaveNewNamesAndBm25FindsThemByTheQuestion() {
        Set<String> used = new HashSet<>();
        List<FactBase.Fact> train = FactBase.generate(300, 1, used), test = FactBase.generate(300, 2, used);
        Set<String> names = new HashSet<>();
        for (var f : train) names.add(f.name());
        for (var f : test) assertTrue(!names.contains(f.name()), f.name() + " is in both");
        Bm25 bm = new Bm25(test.stream().map(f -> Terms.of(f.text())).toList());
        int right = 0;
        for (int i = 0; i < test.size(); i++) {
            String q = FactBase.prompt(null, test.get(i).name());
            if (bm.search(Terms.of(q), 1).get(0).doc() == i) right++;
        }
        assertEquals(test.size(), right, "the name is the one rare word both share");
        String p = FactBase.prompt(test.get(0).text(), test.get(0).name());
        assertTrue(p.startsWith("fact: " + test.get(0).name() + " lives in "));
        for (int id : CharTokenizer.fit(FactBase.ALPHABET).encode(p)) assertTrue(id != 0, "every prompt character is in the alphabet");
        assertEquals("lima", FactBase.answerOf(" lima\nxx"));
    }
}
