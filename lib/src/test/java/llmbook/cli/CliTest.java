package llmbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Issue 10, item 5: whatever a verb did not expect ends in one line, not a stack trace. */
class CliTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int guard(boolean debug, Cli.Body body) {
        err.reset();
        return Cli.guard("train", new PrintStream(err, true, StandardCharsets.UTF_8), debug, body);
    }

    private String err() { return err.toString(StandardCharsets.UTF_8); }

    @Test
    void anUnexpectedExceptionIsOneLine() {
        assertEquals(1, guard(false, () -> { throw new NullPointerException("boom\nsecond line"); }));
        assertEquals("llmbook train: error: NullPointerException: boom second line (LLMBOOK_DEBUG=1 shows the stack trace)\n", err());
        assertEquals(1, guard(false, () -> { throw new ArrayIndexOutOfBoundsException(); }));
        assertEquals("llmbook train: error: java.lang.ArrayIndexOutOfBoundsException (LLMBOOK_DEBUG=1 shows the stack trace)\n", err());
    }

    @Test
    void runningOutOfHeapSaysHowToRaiseIt() {
        assertEquals(1, guard(false, () -> { throw new OutOfMemoryError("Java heap space"); }));
        assertEquals(1, err().split("\n").length, err());
        assertTrue(err().startsWith("llmbook train: error: out of memory (Java heap space; the heap limit is ")
                && err().contains("LLMBOOK_JAVA_OPTS=-Xmx8g ./llmbook train"), err());
    }

    @Test
    void theTraceOnlyWithDebug() {
        assertEquals(1, guard(true, () -> { throw new IllegalStateException("x"); }));
        assertTrue(err().startsWith("llmbook train: error: IllegalStateException: x\n") && err().contains("\tat "), err());
        assertEquals(0, guard(false, () -> 0));
        assertEquals(3, guard(false, () -> 3));
        assertEquals("", err());
    }
}
