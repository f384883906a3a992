package llmbook.retrieval;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import llmbook.data.Corpus;

/**
 * A corpus cut into retrievable passages: each document is split into sentences (a full stop, question or
 * exclamation mark followed by a space and a capital letter or quote) and consecutive sentences are grouped until a
 * passage holds at least {@code minWords} words. The State of the Union texts carry no paragraph breaks, so these
 * passages stand in for paragraphs. Q23.
 */
public final class Passages {
    private Passages() {}

    /** A passage: the document it comes from and its sentences, in order. */
    public record Passage(String source, List<String> sentences) {
        public String text() { return String.join(" ", sentences); }
    }

    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=[A-Z\"'(])");

    /** The sentences of {@code text} (trimmed, blank ones dropped). */
    public static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        for (String s : SENTENCE_END.split(text.strip())) if (!s.isBlank()) out.add(s.strip());
        return out;
    }

    /** The passages of {@code docs} (at least {@code minWords} words each; a shorter tail joins the previous passage). */
    public static List<Passage> of(List<Corpus.Document> docs, int minWords) {
        if (minWords < 1) throw new IllegalArgumentException("Passages: minWords must be >= 1, got " + minWords);
        List<Passage> out = new ArrayList<>();
        for (Corpus.Document d : docs) {
            List<String> cur = new ArrayList<>();
            int words = 0, first = out.size();
            for (String s : sentences(d.text())) {
                cur.add(s);
                words += s.split("\\s+").length;
                if (words >= minWords) {
                    out.add(new Passage(d.id(), List.copyOf(cur)));
                    cur.clear();
                    words = 0;
                }
            }
            if (!cur.isEmpty()) {
                if (out.size() > first) {
                    Passage last = out.removeLast();
                    List<String> all = new ArrayList<>(last.sentences());
                    all.addAll(cur);
                    out.add(new Passage(d.id(), List.copyOf(all)));
                } else out.add(new Passage(d.id(), List.copyOf(cur)));
            }
        }
        return out;
    }
}
