package llmbook.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A synthetic fact base for retrieval-augmented generation: made-up people and the city each lives in
 * ({@code "vomaki lives in lima."}). The names are random syllables, so a fact about a new name cannot be known from
 * training: the model can answer {@code "q: where does vomaki live? a:"} only if the fact is put in its prompt, which
 * is what retrieval does. A model trained to read such prompts answers facts it never saw; without the fact it can
 * only guess a city. Q23. The same model asked in other prompt formats is the prompt-engineering experiment (Q22).
 */
public final class FactBase {
    private FactBase() {}

    /** The cities answers are drawn from. */
    public static final List<String> CITIES = List.of("paris", "lima", "oslo", "cairo", "delhi", "tokyo", "rome", "quito",
            "accra", "dakar", "hanoi", "seoul", "sofia", "riga", "minsk", "lagos");

    private static final String[] SYLLABLES = {"ka", "ro", "mi", "tu", "ve", "sa", "no", "li", "da", "ze", "po", "ki", "ma", "fu", "re", "bo"};

    /** One fact. */
    public record Fact(String name, String city) {
        public String text() { return name + " lives in " + city + "."; }
    }

    /** {@code n} facts about new names (not in {@code usedNames}, to which they are added), cities uniform. */
    public static List<Fact> generate(int n, long seed, Set<String> usedNames) {
        if (n > 30_000) throw new IllegalArgumentException("FactBase: at most 30000 facts, asked " + n);
        Random r = new Random(seed);
        List<Fact> out = new ArrayList<>(n);
        while (out.size() < n) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0, k = 3 + r.nextInt(2); i < k; i++) sb.append(SYLLABLES[r.nextInt(SYLLABLES.length)]);
            String name = sb.toString();
            if (usedNames.add(name)) out.add(new Fact(name, CITIES.get(r.nextInt(CITIES.size()))));
        }
        return out;
    }

    /** The question about {@code name}, after the retrieved {@code context} (null or empty = no context). */
    public static String prompt(String context, String name) {
        String q = "q: where does " + name + " live? a: ";
        return context == null || context.isEmpty() ? q : "fact: " + context + " " + q;
    }

    /** What the model should write: the city and the end token. */
    public static String completion(Fact f) { return f.city() + "\n"; }

    /** The answer in a completion: its text up to the end token, trimmed. */
    public static String answerOf(String completion) {
        int end = completion.indexOf('\n');
        return (end < 0 ? completion : completion.substring(0, end)).strip();
    }

    /** Every character a prompt can hold. */
    public static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz :.?\n";
}
