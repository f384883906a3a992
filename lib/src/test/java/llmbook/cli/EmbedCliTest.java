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

    /** --corpus: paragraphs with document and year, best first; the second call reads the cached vectors. */
    @Test
    void corpusSearchPrintsDocumentYearAndParagraphAndCaches(@TempDir Path dir) throws Exception {
        String cache = dir.resolve("vec").toString();
        String[] args = {"--corpus", "sotu", "--query", "war and peace", "--top", "3", "--passages", "48", "--cache", cache};
        long t0 = System.nanoTime();
        assertEquals(0, embed("", args), err.toString(StandardCharsets.UTF_8));
        double first = (System.nanoTime() - t0) / 1e9;
        String e1 = err.toString(StandardCharsets.UTF_8), o1 = out.toString(StandardCharsets.UTF_8);
        assertTrue(e1.contains("embedding 48 paragraphs of sotu"), e1);
        assertTrue(e1.contains("48/48"), "a progress bar: " + e1);
        String[] rows = o1.split("\n");
        assertEquals(6, rows.length, o1);                                   // a header line and a paragraph line per hit
        double last = 2;
        for (int k = 0; k < 3; k++) {
            var m = java.util.regex.Pattern.compile("^" + (k + 1) + "\\. (0\\.\\d{3})  (\\d{4})_[a-z_]+  \\((\\d{4})\\)$").matcher(rows[2 * k]);
            assertTrue(m.find(), rows[2 * k]);
            assertEquals(m.group(2), m.group(3), "the year is the document's");
            double cos = Double.parseDouble(m.group(1));
            assertTrue(cos <= last, "best first: " + o1);
            last = cos;
            assertTrue(rows[2 * k + 1].startsWith("   ") && rows[2 * k + 1].split(" +").length > 40, "the paragraph: " + rows[2 * k + 1]);
        }
        try (var files = java.nio.file.Files.list(Path.of(cache))) {
            assertEquals(1, files.filter(f -> f.getFileName().toString().matches("sotu-48-[0-9a-f]{16}\\.vec")).count());
        }
        out.reset();
        err.reset();
        t0 = System.nanoTime();
        assertEquals(0, embed("", args));
        double second = (System.nanoTime() - t0) / 1e9;
        assertEquals(o1, out.toString(StandardCharsets.UTF_8), "the cached vectors give the same answer");
        assertTrue(!err.toString(StandardCharsets.UTF_8).contains("embedding"), "nothing embedded again: " + err);
        assertTrue(second < first, "second call " + second + " s, first " + first + " s");
    }

    @Test
    void corpusErrors() {
        assertEquals(2, embed("", "--corpus", "sotu"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--corpus needs --query"), err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(2, embed("", "--passages", "5", "--query", "x"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("go with --corpus"), err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(1, embed("", "--corpus", "no-such-corpus", "--query", "war"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.startsWith("llmbook embed: error:") && e.contains("unknown corpus 'no-such-corpus'") && !e.contains("\tat "), e);
    }
}
