package llmbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlagsTest {
    @TempDir Path dir;

    @Test
    void parsesValuesSwitchesAndBothSpellings() {
        Flags f = new Flags(new String[] {"--steps", "20", "--lr=0.01", "--force"}, Set.of("steps", "lr"), Set.of("force"));
        assertEquals(20, f.integer("steps", 1, 1));
        assertEquals(0.01f, f.real("lr", 1f, 0f, 1f));
        assertTrue(f.has("force"));
        assertEquals(7, f.integer("batch", 7, 1), "defaults apply to absent flags");
    }

    @Test
    void errorsNameTheFlagAndTheProblem() {
        Set<String> v = Set.of("steps"), s = Set.of("force");
        assertEquals("unknown flag --stpes", assertThrows(Flags.UsageException.class, () -> new Flags(new String[] {"--stpes", "1"}, v, s)).getMessage());
        assertEquals("--steps needs a value", assertThrows(Flags.UsageException.class, () -> new Flags(new String[] {"--steps"}, v, s)).getMessage());
        Flags f = new Flags(new String[] {"--steps", "ten"}, v, s);
        assertTrue(assertThrows(Flags.UsageException.class, () -> f.integer("steps", 1, 1)).getMessage().contains("whole number"));
        Flags g = new Flags(new String[] {"--steps", "0"}, v, s);
        assertEquals("--steps must be >= 1, got 0", assertThrows(Flags.UsageException.class, () -> g.integer("steps", 1, 1)).getMessage());
    }

    @Test
    void trainRefusesToOverwriteARunAndExitsTwoOnUsageErrors() throws Exception {
        Path run = Files.createDirectory(dir.resolve("run"));
        var err = new ByteArrayOutputStream();
        int code = Train.run(new String[] {"--out", run.toString()}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertEquals(2, code);
        assertTrue(err.toString().contains("--force"), err.toString());
        assertEquals(2, Train.run(new String[] {"--tokenizer", "bpe:12"}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)));
        assertEquals(2, Generate.run(new String[] {"--temperature", "-1", "--run", run.toString()}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)));
        var out = new ByteArrayOutputStream();
        assertEquals(0, Generate.run(new String[] {"--help"}, new PrintStream(out), new PrintStream(err)));
        assertTrue(out.toString().contains("--top-p"));
    }
}
