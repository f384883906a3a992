package llmbook.kg;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KgTest {
    @Test
    void indexesAndNTriplesRoundTrip(@TempDir Path dir) throws Exception {
        TripleStore g = new TripleStore();
        assertTrue(g.add("Ada Moreau", "bornIn", "Varrow"));
        assertFalse(g.add("Ada Moreau", "bornIn", "Varrow"));
        g.addLiteral("Ada Moreau", "bornYear", "1950");
        g.addLiteral("Ada Moreau", "note", "said \"hi\"\\ok");
        g.add("Bo Lund", "bornIn", "Varrow");
        assertEquals(java.util.List.of("Ada Moreau", "Bo Lund"), g.subjects("bornIn", "Varrow"));
        assertEquals(java.util.List.of("1950"), g.objects("Ada Moreau", "bornYear"));
        Path f = dir.resolve("g.nt");
        g.save(f);
        assertTrue(Files.readString(f).contains("<urn:llmbook:Ada_Moreau> <urn:llmbook:bornYear> \"1950\" ."));
        TripleStore back = TripleStore.load(f);
        assertEquals(g.all(), back.all());
        Files.writeString(f, "<urn:llmbook:a> <urn:llmbook:b> \"c\"\n");
        var e = assertThrows(java.io.IOException.class, () -> TripleStore.load(f));
        assertTrue(e.getMessage().contains("g.nt:1"), e.getMessage());
    }

    @Test
    void worldBiographiesAndVerdicts() {
        World w = World.generate(300, 20, 10, 7);
        assertEquals(900, w.graph.size());
        String p = w.people.get(0);
        String bio = w.biography(p, true);
        assertTrue(bio.startsWith(p + " was born in " + w.bornIn(p) + " in " + w.bornYear(p) + "."), bio);
        assertTrue(bio.contains("In " + w.bornIn(p) + ", in " + w.bornYear(p) + ", " + p + " was born."), bio);
        assertEquals(World.Verdict.SUPPORTED, w.check(p, World.BORN_IN, w.bornIn(p)));
        String other = w.cities.stream().filter(c -> !c.equals(w.bornIn(p))).findFirst().orElseThrow();
        assertEquals(World.Verdict.CONTRADICTED, w.check(p, World.BORN_IN, other));
        assertEquals(World.Verdict.UNVERIFIABLE, w.check(p, World.BORN_IN, "Atlantis"));
        assertEquals(World.Verdict.UNVERIFIABLE, w.check("Nobody Known", World.BORN_IN, other));
        assertEquals("Varrow", World.answer("Varrow in 1950. Ada"));
        assertEquals("Ada Moreau", World.answer("Ada Moreau was born."));
        assertEquals(World.generate(300, 20, 10, 7).corpus(false), w.corpus(false), "seeded");
    }

    @Test
    void retrievalFindsEveryoneBornThereThenAndPutsTheirFactsBeforeTheQuestion() {
        World w = World.generate(300, 5, 4, 3);
        for (String p : w.people.subList(0, 50)) {
            List<String> found = w.peopleBornIn(w.bornIn(p), w.bornYear(p));
            assertTrue(found.contains(p), p);
            long truth = w.people.stream().filter(q -> w.bornIn(q).equals(w.bornIn(p)) && w.bornYear(q).equals(w.bornYear(p))).count();
            assertEquals(truth, found.size());
            for (String q : found) assertTrue(w.bornThere(q, w.bornIn(p), w.bornYear(p)));
        }
        assertEquals(List.of(), w.peopleBornIn("Nowhere", "1950"));
        String p = w.people.get(0);
        String prompt = w.withFacts(List.of(p), w.cityFirstPrompt(p));
        assertEquals(w.biography(p, false) + "In " + w.bornIn(p) + ", in " + w.bornYear(p) + ", ", prompt);
    }
}
