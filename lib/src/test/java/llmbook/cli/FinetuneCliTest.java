package llmbook.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import llmbook.util.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./llmbook finetune end to end: a tiny base on Moby Dick, adapted to the State of the Union by each method. */
class FinetuneCliTest {
    @TempDir static Path dir;
    static Path base;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    static final String TINY = "--layers 1 --heads 2 --width 16 --context 16 --batch 4 --steps 4 --warmup 1 --eval-interval 2 --eval-batches 2 --threads 1";

    @BeforeAll
    static void trainBase() {
        base = dir.resolve("base");
        var o = new ByteArrayOutputStream();
        assertEquals(0, Train.run(("--corpus moby-dick --out " + base + " " + TINY).split(" "), new PrintStream(o), new PrintStream(o)), o.toString());
    }

    private int finetune(String args) {
        out.reset();
        err.reset();
        return Finetune.run(args.split(" "), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static final String FT = " --steps 4 --warmup 1 --batch 4 --eval-interval 2 --eval-batches 2 --threads 1";

    @Test
    void everyMethodWritesItsResultAndTheSummary() throws Exception {
        for (String m : new String[] {"full", "lora:2", "qlora:2", "bitfit", "adapter:4", "prompt:3"}) {
            Path o = dir.resolve(m.replace(':', '_'));
            assertEquals(0, finetune("--run " + base + " --method " + m + " --out " + o + FT), m + ": " + err + "\n" + out);
            Map<String, Object> s = Json.parseObject(Files.readString(o.resolve("finetune.json")));
            assertEquals("moby-dick", s.get("old_corpus"), m);
            double before = ((Number) s.get("new_val_before")).doubleValue(), after = ((Number) s.get("new_val_after")).doubleValue();
            // 4 steps of 4 windows: every method but prompt tuning (48 numbers at lr 1e-3) is already better on the new domain
            if (!m.startsWith("prompt")) assertTrue(after < before, m + ": " + s);
            else assertTrue(Math.abs(after - before) < 0.1, m + ": " + s);
            assertTrue(((Number) s.get("old_val_after")).doubleValue() > 0, m);
            assertEquals(5, Files.readAllLines(o.resolve("metrics.csv")).size(), m);
            assertTrue(out.toString().contains("old domain (moby-dick)"), out.toString());
            if (m.startsWith("prompt")) assertTrue(Files.isRegularFile(o.resolve("prompt.safetensors")));
            else if (!m.startsWith("adapter")) llmbook.model.Checkpoint.load(o);   // a run folder generate can read
            if (m.contains("lora") || m.startsWith("adapter")) assertTrue(Files.size(o.resolve("adapter.safetensors")) < 8_000, m);
        }
    }

    private String generate(String args) {
        var o = new ByteArrayOutputStream();
        err.reset();
        int code = Generate.run(args.split(" "), new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, args + ": " + err);
        return o.toString(StandardCharsets.UTF_8);
    }

    @Test
    void generateLoadsTheBasePlusTheAdapterAndMatchesTheMergedModel() throws Exception {
        String g = " --prompt Call --max-tokens 40 --strategy greedy --threads 1";
        for (String m : new String[] {"lora:2", "adapter:4"}) {
            Path o = dir.resolve("gen-" + m.replace(':', '_'));
            assertEquals(0, finetune("--run " + base + " --method " + m + " --out " + o + FT + " --lr 3e-2"), m + ": " + err);
            String plain = generate("--run " + base + g), adapted = generate("--run " + base + " --adapter " + o.resolve("adapter.safetensors") + g);
            assertTrue(err.toString().contains("attached the adapters of"), err.toString());
            assertNotEquals(plain, adapted, m + ": the adapter changes the greedy text");
            if (m.startsWith("lora")) assertEquals(generate("--run " + o + g), adapted, "base + adapter = the merged run folder");
        }
        Path model = base.resolve("model.safetensors");                    // a whole model, not an adapter
        err.reset();
        int code = Generate.run(("--run " + base + " --prompt Call --adapter " + model).split(" "), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, code, err.toString());
        assertTrue(err.toString().contains("neither a LoRA"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }

    @Test
    void badFlagsAreOneLineErrors() {
        assertEquals(2, finetune("--run " + base + " --method lora:x"));
        assertTrue(err.toString().contains("--method must be full, lora:R"), err.toString());
        assertEquals(2, finetune("--run " + base + " --method adapter:0"));
        assertTrue(err.toString().contains("adapter:M"), err.toString());
        assertEquals(2, finetune("--method full"));
        assertTrue(err.toString().contains("--run BASE is required"), err.toString());
        assertEquals(2, finetune("--run " + dir.resolve("nope") + " --method full"));
        assertTrue(err.toString().contains("no run folder"), err.toString());
        assertEquals(2, finetune("--run " + base + " --method full --out " + base));
        assertTrue(err.toString().contains("--force"), err.toString());
    }
}
