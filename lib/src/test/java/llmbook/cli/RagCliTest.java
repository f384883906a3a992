package llmbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The rag verb's refusals: one line, the right exit status, no stack trace (the search itself is RetrievalTest's). */
class RagCliTest {
    static String[] run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Rag.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[]{String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void usageErrors() {
        String[] r = run();
        assertEquals("2", r[0]);
        assertTrue(r[2].startsWith("llmbook rag: --query is required"), r[2]);
        r = run("--query", "war", "--top", "0");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--top must be >= 1"), r[2]);
        r = run("--query", "war", "--bogus");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("unknown flag --bogus"), r[2]);
        assertTrue(!r[2].contains("at llmbook."), "no stack trace");
    }

    @Test
    void missingRunFolderIsNamed() {
        String[] r = run("--query", "war", "--run", "no/such/run");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("no/such/run: no such folder"), r[2]);
    }

    @Test
    void help() {
        String[] r = run("--help");
        assertEquals("0", r[0]);
        assertTrue(r[1].startsWith("usage: ./llmbook rag"));
    }
}
