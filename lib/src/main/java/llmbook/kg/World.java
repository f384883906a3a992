package llmbook.kg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import llmbook.tensor.Rng;

/**
 * A synthetic world for grounding experiments: invented people, each with a birth city, a birth year and an
 * employer, stored in a {@link TripleStore} and rendered as short biographies to train a model on. Every name is made
 * up, so nothing the model knows about them can come from anywhere but these texts. Q47.
 * <pre>
 *   Ada Moreau was born in Varrow in 1950. Ada Moreau works for Quillon.       (forward: person → facts)
 *   Question forward:  "Ada Moreau was born in"    → Varrow
 *   Question reversed: "Born in Varrow in 1950 was" → Ada Moreau      (the same fact, read the other way)
 * </pre>
 * With {@code paraphrase} the biography of each person is also written a second way that puts the city and year
 * first ("In Varrow, in 1950, Ada Moreau was born."), the augmentation that helps with the reversal curse.
 */
public final class World {
    public static final String BORN_IN = "bornIn", BORN_YEAR = "bornYear", WORKS_FOR = "worksFor";
    private static final String[] SYL = {"ar", "bel", "cor", "dan", "el", "fen", "gar", "hol", "is", "jun", "kel", "lor", "mar", "nor", "or",
            "pel", "quin", "ros", "sal", "tor", "ul", "ven", "wil", "yar", "zan"};

    public final TripleStore graph = new TripleStore();
    public final List<String> people = new ArrayList<>(), cities = new ArrayList<>(), employers = new ArrayList<>();

    private World() {}

    /** {@code n} people over {@code nCities} cities and {@code nEmployers} employers, born 1900–1999, all seeded. */
    public static World generate(int n, int nCities, int nEmployers, long seed) {
        if (n < 1 || nCities < 1 || nEmployers < 1) throw new IllegalArgumentException("World: need at least one person, city and employer");
        Rng rng = new Rng(seed);
        World w = new World();
        java.util.Set<String> used = new java.util.HashSet<>();
        while (w.cities.size() < nCities) { String c = cap(word(rng, 2)); if (used.add(c)) w.cities.add(c); }
        while (w.employers.size() < nEmployers) { String c = cap(word(rng, 3)); if (used.add(c)) w.employers.add(c); }
        if (n > 50_000) throw new IllegalArgumentException("World: at most 50,000 people, got " + n);
        while (w.people.size() < n) {
            String p = cap(word(rng, 2)) + " " + cap(word(rng, 2));
            if (!used.add(p)) continue;
            w.people.add(p);
            w.graph.add(p, BORN_IN, w.cities.get(rng.nextInt(nCities)));
            w.graph.addLiteral(p, BORN_YEAR, String.valueOf(1900 + rng.nextInt(100)));
            w.graph.add(p, WORKS_FOR, w.employers.get(rng.nextInt(nEmployers)));
        }
        return w;
    }

    private static String word(Rng rng, int syllables) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < syllables; i++) sb.append(SYL[rng.nextInt(SYL.length)]);
        return sb.toString();
    }

    private static String cap(String s) { return Character.toUpperCase(s.charAt(0)) + s.substring(1); }

    public String bornIn(String p) { return graph.objects(p, BORN_IN).get(0); }

    public String bornYear(String p) { return graph.objects(p, BORN_YEAR).get(0); }

    public String worksFor(String p) { return graph.objects(p, WORKS_FOR).get(0); }

    /** The biography of one person (one line); with {@code paraphrase}, also the city-first version. */
    public String biography(String p, boolean paraphrase) {
        String s = p + " was born in " + bornIn(p) + " in " + bornYear(p) + ". " + p + " works for " + worksFor(p) + ".\n";
        if (paraphrase) s += "In " + bornIn(p) + ", in " + bornYear(p) + ", " + p + " was born.\n";
        return s;
    }

    /** Every biography, people in order. */
    public String corpus(boolean paraphrase) { return corpus(paraphrase ? people.size() : 0); }

    /**
     * Every biography, the first {@code paraphrased} people also in the city-first paraphrase: the others' facts are
     * only ever written person-first, which is what a reversal test needs.
     */
    public String corpus(int paraphrased) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < people.size(); i++) sb.append(biography(people.get(i), i < paraphrased));
        return sb.toString();
    }

    /** The reversed question in the paraphrase's own words: continued by the person's name. */
    public String cityFirstPrompt(String p) { return "In " + bornIn(p) + ", in " + bornYear(p) + ", "; }

    /** True if {@code name} is a person of the world born in {@code city} in {@code year}. */
    public boolean bornThere(String name, String city, String year) {
        return graph.contains(name, BORN_IN, city) && graph.contains(name, BORN_YEAR, year);
    }

    /** The forward question: the model should continue it with the birth city. */
    public static String forwardPrompt(String p) { return p + " was born in "; }

    /** The reversed question: the model should continue it with a person born there that year. */
    public String reversedPrompt(String p) { return "Born in " + bornIn(p) + " in " + bornYear(p) + " was "; }

    /**
     * Retrieval from the graph (Q47): the people born in {@code city} in {@code year}, found through the index by
     * object (every subject whose bornIn is the city, kept if its bornYear matches), in the order of the world.
     */
    public List<String> peopleBornIn(String city, String year) {
        List<String> out = new ArrayList<>();
        for (String p : graph.subjects(BORN_IN, city)) if (graph.contains(p, BORN_YEAR, year)) out.add(p);
        return out;
    }

    /**
     * A question with the graph's facts retrieved into the prompt: the person-first biography of every person
     * {@code retrieved} (one line each, as in training), then the question. With a city-first question, the text
     * the model sees is the pattern it was trained on for paraphrased people (biography, then the same facts
     * city-first), so it can copy the name from its context instead of recalling it.
     */
    public String withFacts(List<String> retrieved, String question) {
        StringBuilder sb = new StringBuilder();
        for (String p : retrieved) sb.append(biography(p, false));
        return sb.append(question).toString();
    }

    /** How a claimed fact relates to the graph. Q47. */
    public enum Verdict {
        /** The graph holds it. */
        SUPPORTED,
        /** Intrinsic hallucination: it contradicts the graph (a known subject and relation, a different known object). */
        CONTRADICTED,
        /** Extrinsic hallucination: it cannot be checked against the graph (an entity the world does not have). */
        UNVERIFIABLE
    }

    /** Checks the claim (subject, predicate, object) against the graph. */
    public Verdict check(String s, String p, String o) {
        if (graph.contains(s, p, o)) return Verdict.SUPPORTED;
        if (graph.knows(s) && graph.knows(o) && !graph.objects(s, p).isEmpty()) return Verdict.CONTRADICTED;
        return Verdict.UNVERIFIABLE;
    }

    /** Counts of each verdict over many claims, as a map in enum order. */
    public static Map<Verdict, Integer> tally(List<Verdict> vs) {
        Map<Verdict, Integer> m = new LinkedHashMap<>();
        for (Verdict v : Verdict.values()) m.put(v, 0);
        for (Verdict v : vs) m.merge(v, 1, Integer::sum);
        return m;
    }

    /** The first phrase of a generated continuation: up to the first '.', ',', newline, " in " or " was", trimmed. */
    public static String answer(String continuation) {
        String s = continuation;
        for (String stop : new String[] {".", ",", "\n", " in ", " was"}) {
            int i = s.indexOf(stop);
            if (i >= 0) s = s.substring(0, i);
        }
        return s.strip();
    }
}
