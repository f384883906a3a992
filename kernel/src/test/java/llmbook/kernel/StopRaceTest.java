package llmbook.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import jdk.jshell.JShell;
import org.junit.jupiter.api.Test;

/**
 * An interrupt that lands after a snippet has been compiled and checked for a stop, but before its thread exists, has
 * nothing to interrupt; it must still stop the snippet (it was lost: a cell interrupted then slept its 30 s).
 */
class StopRaceTest {
    @Test
    void aStopBeforeTheSnippetsThreadExistsIsDeliveredWhenItRuns() throws Exception {
        var provider = new CellExecutionControl.Provider();
        try (JShell shell = JShell.builder().executionEngine(provider, Map.of()).build()) {
            shell.eval("int warm = 1;");                             // the engine is up
            CellExecutionControl c = provider.control();
            CellExecutionControl.afterStopCheck = () -> {             // what JavaKernel.interrupt() does, at the worst moment
                c.requestStop();
                try { c.stop(); } catch (Exception e) { throw new IllegalStateException(e); }
            };
            long t0 = System.nanoTime();
            shell.eval("Thread.sleep(20_000);");
            double s = (System.nanoTime() - t0) / 1e9;
            assertTrue(s < 5, "the snippet ran for " + s + " s: the stop was lost");
        } finally {
            CellExecutionControl.afterStopCheck = null;
        }
    }
}
