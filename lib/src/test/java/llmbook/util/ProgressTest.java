package llmbook.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void linesModePrintsEachTenthOnceAndTheEnd() {
        var buf = new ByteArrayOutputStream();
        try (Progress p = Progress.of("work", 100, new PrintStream(buf, true, StandardCharsets.UTF_8), "lines")) {
            for (int i = 0; i < 100; i++) { p.message("item %d", i); p.step(); }
        }
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(11, lines.length, "one line at 0%, 10%, ..., 100%, none repeated at close");
        assertTrue(lines[10].startsWith("work 100% |████████████████████| 100/100"), lines[10]);
        assertTrue(lines[10].endsWith("item 99"), lines[10]);
    }

    @Test
    void partialCellsUseEighthBlocks() {
        var buf = new ByteArrayOutputStream();
        Progress p = Progress.of("x", 160, new PrintStream(buf), "off");
        p.step(9); // 9/160 of 20 cells = 1.125 cells: one full cell and one eighth
        assertTrue(p.line().startsWith("x   5% |█▏                  | 9/160"), p.line());
        assertEquals(0, buf.size(), "off prints nothing");
    }

    @Test
    void refusesABadModeOrTotal() {
        assertThrows(IllegalArgumentException.class, () -> Progress.of("x", 1, System.err, "fancy"));
        assertThrows(IllegalArgumentException.class, () -> Progress.of("x", -1));
    }

    // issue 10, item 10: a resumed run's bar counts its rate from the resumed step, not from zero
    @Test
    void aResumedBarCountsTheRateFromWhereItResumed() throws InterruptedException {
        Progress p = Progress.of("training", 2000, new PrintStream(new ByteArrayOutputStream()), "off");
        p.resumeAt(1000);
        Thread.sleep(100);
        p.step(5);
        String line = p.line();
        assertTrue(line.contains("| 1005/2000 ["), line);
        double rate = Double.parseDouble(line.replaceAll(".*, ([0-9.]+) it/s].*", "$1"));
        assertTrue(rate > 0 && rate <= 50, "5 steps in at least 0.1 s, not 1005: " + line);
    }
}
