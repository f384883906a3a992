package llmbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import llmbook.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    private int embed(String stdin, String... args) {
        return Embed.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    static final String LINES = "The price of cotton fell again.\n\nA treaty of peace ended the war.\nCongress passed a new tariff on wool.\n";

    @Test
    void jsonVectorsOnePerNonBlankLine() {
        assertEquals(0, embed(LINES, "--json"));
        String[] rows = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(3, rows.length);
        for (String r : rows) {
            List<?> v = (List<?>) Json.parse(r);
            assertEquals(384, v.size());
            double n = 0;
            for (Object x : v) n += Math.pow(((Number) x).doubleValue(), 2);
            assertEquals(1.0, n, 1e-4, "unit length");
        }
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("3 lines"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void queryPrintsTheNearestLinesFirst() {
        assertEquals(0, embed(LINES, "--query", "war and peace", "--top", "2"));
        String[] rows = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, rows.length);
        assertTrue(rows[0].endsWith("A treaty of peace ended the war."), rows[0]);
    }

    @Test
    void errors(@TempDir Path dir) {
        assertEquals(1, embed("\n  \n"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no non-blank line"));
        assertEquals(1, embed("", dir.resolve("nope.txt").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("nope.txt: no such file"));
        assertEquals(2, embed("x", "--top", "0"));
        assertEquals(2, embed("x", "--bogus"));
        assertEquals(2, embed("x", "--query"));
        assertEquals(0, embed("", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: ./llmbook embed"));
    }
}
