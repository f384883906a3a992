package llmbook.data;

import java.util.ArrayList;
import java.util.List;

/** Real sentences for oracle tests: {@code n} State of the Union sentences spread evenly over 1790-2016. */
public final class TestSentences {
    private TestSentences() {}

    /** Every k-th sentence of the corpus (split after . ! ? followed by white space), so all eras appear. */
    public static List<String> sotu(int n) {
        List<String> all = new ArrayList<>();
        for (Corpus.Document d : Corpus.load("sotu").documents())
            for (String s : d.text().split("(?<=[.!?])\\s+")) if (!s.isBlank()) all.add(s.strip());
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(all.get((int) ((long) i * all.size() / n)));
        return out;
    }
}
