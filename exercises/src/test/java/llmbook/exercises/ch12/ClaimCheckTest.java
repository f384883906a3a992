package llmbook.exercises.ch12;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import llmbook.kg.TripleStore.Triple;
import llmbook.kg.World;
import llmbook.kg.World.Verdict;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch12.claim_check", title = "Checking claims against a knowledge graph")
class ClaimCheckTest {
    static final String[][] FACTS = {{"Ada", "bornIn", "Varrow"}, {"Ada", "worksFor", "Kelmar"}, {"Bo", "bornIn", "Varrow"}};

    @Test
    @Points(value = 2, hint = "the worked example: supported, contradicted, then two unverifiable claims")
    void theWorkedExample() {
        String[][] claims = {{"Ada", "bornIn", "Varrow"}, {"Bo", "bornIn", "Kelmar"}, {"Bo", "worksFor", "Kelmar"}, {"Ada", "bornIn", "Quinsal"}};
        assertArrayEquals(new Verdict[] {Verdict.SUPPORTED, Verdict.CONTRADICTED, Verdict.UNVERIFIABLE, Verdict.UNVERIFIABLE},
                ClaimCheck.check(FACTS, claims));
        assertEquals(List.of("Ada", "Bo"), ClaimCheck.subjects(FACTS, "bornIn", "Varrow"));
    }

    @Test
    @Points(value = 2, hint = "not found is not contradicted: an invented person, an invented object, or a relation the subject has no fact for is UNVERIFIABLE")
    void unknownIsNotIntrinsic() {
        String[][] claims = {{"Cy", "bornIn", "Varrow"}, {"Bo", "worksFor", "Varrow"}, {"Ada", "worksFor", "Zanor"}, {"Varrow", "bornIn", "Ada"}};
        for (Verdict v : ClaimCheck.check(FACTS, claims)) assertEquals(Verdict.UNVERIFIABLE, v);
        assertEquals(List.of(), ClaimCheck.subjects(FACTS, "worksFor", "Varrow"), "the relation matters in the reversed lookup");
        assertEquals(List.of(), ClaimCheck.subjects(FACTS, "bornIn", "Atlantis"));
    }

    @Test
    @Points(value = 2, hint = "hidden world of 300 people: each verdict must match the library's World.check, each reversed lookup the graph")
    void hiddenWorld() {
        World w = World.generate(300, 12, 6, 47);
        List<String[]> facts = new ArrayList<>();
        for (String p : w.people) for (Triple t : w.graph.bySubject(p)) facts.add(new String[] {t.subject(), t.predicate(), t.object()});
        String[][] f = facts.toArray(String[][]::new);
        Random r = new Random(47);
        String[] relations = {World.BORN_IN, World.WORKS_FOR, World.BORN_YEAR};
        String[][] claims = new String[400][];
        for (int i = 0; i < claims.length; i++) {
            String s = r.nextInt(10) == 0 ? "Nobody " + i : w.people.get(r.nextInt(w.people.size()));
            String rel = relations[r.nextInt(3)];
            String o = switch (r.nextInt(4)) {
                case 0 -> w.cities.get(r.nextInt(w.cities.size()));
                case 1 -> w.employers.get(r.nextInt(w.employers.size()));
                case 2 -> String.valueOf(1900 + r.nextInt(100));
                default -> "Nowhere" + r.nextInt(5);
            };
            if (r.nextInt(3) == 0 && !s.startsWith("Nobody")) o = w.graph.objects(s, rel).get(0);
            claims[i] = new String[] {s, rel, o};
        }
        Verdict[] got = ClaimCheck.check(f, claims);
        for (int i = 0; i < claims.length; i++)
            assertEquals(w.check(claims[i][0], claims[i][1], claims[i][2]), got[i], String.join(" ", claims[i]));
        for (String city : w.cities) assertEquals(w.graph.subjects(World.BORN_IN, city), ClaimCheck.subjects(f, World.BORN_IN, city), city);
    }
}
