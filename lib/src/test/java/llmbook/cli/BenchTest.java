package llmbook.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The bench command line (parsing only: no timing in unit tests). */
class BenchTest {
    @Test
    void parsesEveryFlag() {
        Bench.Options o = Bench.parse(new String[]{"--filter", "matmul", "--threads", "1,2", "--json", "out.json", "--quick", "--numpy", "--torch"});
        assertEquals("matmul", o.filter());
        assertArrayEquals(new int[]{1, 2}, o.threads());
        assertEquals("out.json", o.json());
        assertTrue(o.quick() && o.numpy() && o.torch() && !o.help() && !o.ort());
        assertTrue(Bench.parse(new String[]{"--ort"}).ort());
    }

    /** bench --ort's child process: ONNX Runtime on the test classpath answers a timing request for the minilm rows. */
    @Test
    void onnxRuntimeRunnerTimesTheMiniLmSentences() {
        String before = System.getProperty("llmbook.ort.classpath");
        System.setProperty("llmbook.ort.classpath", System.getProperty("java.class.path"));
        try {
            Bench.Timing t = BenchOrt.time(1, "32 sentences batch=32", true);
            assertTrue(t != null && t.min() > 0 && t.min() <= t.median() && t.median() <= t.max(), String.valueOf(t));
        } finally {
            BenchOrt.closeAll();
            if (before == null) System.clearProperty("llmbook.ort.classpath");
            else System.setProperty("llmbook.ort.classpath", before);
        }
    }

    @Test
    void rejectsBadArgumentsWithAMessage() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Bench.parse(new String[]{"--fast"})).getMessage().contains("--fast"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Bench.parse(new String[]{"--threads", "0"})).getMessage().contains("got 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Bench.parse(new String[]{"--threads", "a"})).getMessage().contains("'a'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Bench.parse(new String[]{"--json"})).getMessage().contains("missing value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Bench.parse(new String[]{"--filter", "("})).getMessage().contains("regex"));
    }

    @Test
    void everyCaseHasAScalarTwinAndWork() {
        for (Bench.Case c : Bench.cases()) assertTrue(c.work() > 0 && c.scalar() != null && c.vector() != null, c.op() + " " + c.size());
    }
}
