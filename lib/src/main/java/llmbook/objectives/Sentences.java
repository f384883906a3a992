package llmbook.objectives;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A plain sentence splitter for the sentence-pair objectives (Q27): a sentence ends at '.', '!' or '?' followed by
 * white space and a capital letter or a quote. Abbreviations ("Mr. President") are split wrongly; for NSP/SOP that
 * only makes some pairs shorter.
 * <pre>
 *   split("We met. It rained! Why?")  →  ["We met.", "It rained!", "Why?"]
 * </pre>
 */
public final class Sentences {
    private static final Pattern END = Pattern.compile("(?<=[.!?])\\s+(?=[\\p{Lu}\"“])");

    private Sentences() {}

    /** The sentences of {@code text}, trimmed, empty ones dropped. */
    public static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        for (String s : END.split(text)) if (!s.isBlank()) out.add(s.strip());
        return out;
    }
}
