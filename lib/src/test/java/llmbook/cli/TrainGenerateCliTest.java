package llmbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./llmbook train then ./llmbook generate, end to end on a tiny model and a tiny text. */
class TrainGenerateCliTest {
    @TempDir Path dir;
    private ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    static final String TINY = "--layers 1 --heads 2 --width 16 --context 16 --batch 4 --steps 6 --warmup 2 --eval-interval 3 "
            + "--eval-batches 2 --threads 1";

    private int train(String args) {
        out.reset();
        err.reset();
        return Train.run(split(args), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private int generate(String... args) {
        out.reset();
        err.reset();
        return Generate.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String[] split(String s) {
        List<String> a = new ArrayList<>();
        for (String p : s.trim().split("\\s+")) if (!p.isEmpty()) a.add(p);
        return a.toArray(new String[0]);
    }

    private String out() { return out.toString(StandardCharsets.UTF_8); }

    private String err() { return err.toString(StandardCharsets.UTF_8); }

    private Path text() throws IOException {
        Path f = dir.resolve("tiny.txt");
        Files.writeString(f, "the whale swam in the sea and the sea was deep.\nthe men sang as the ship sailed.\n".repeat(30));
        return f;
    }

    @Test
    void trainThenGenerateWithACharTokenizer() throws IOException {
        Path run = dir.resolve("run");
        assertEquals(0, train("--text " + text() + " --out " + run + " " + TINY), err());
        for (String f : new String[] {"model.safetensors", "config.json", "tokenizer.json", "metrics.csv", "run.json", "train_state.safetensors"})
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals("step,train_loss,val_loss,lr,tokens_per_s,elapsed_s", csv.get(0));
        assertEquals(7, csv.size(), "a header and one row per step");
        assertTrue(out().contains("final validation loss"), out());

        assertEquals(2, train("--text " + text() + " --out " + run + " " + TINY), "an existing run folder is not overwritten");
        assertTrue(err().contains("--force"), err());
        assertEquals(0, train("--text " + text() + " --out " + run + " --force " + TINY), err());

        assertEquals(0, train("--resume --out " + run), err());
        assertTrue(out().contains("nothing to do"), out());
        assertEquals(2, train("--resume --out " + run + " --steps 10"));
        assertTrue(err().contains("--steps cannot be changed on --resume"), err());
        assertEquals(2, train("--resume --out " + dir.resolve("elsewhere")));

        assertEquals(0, generate("--run", run.toString(), "--prompt", "the ", "--max-tokens", "25", "--temperature", "0"), err());
        String greedy = out();
        assertTrue(greedy.startsWith("the ") && greedy.length() >= 4 + 25, greedy);
        assertEquals(0, generate("--run", run.toString(), "--prompt", "the ", "--max-tokens", "25", "--temperature", "0", "--no-cache"));
        assertEquals(greedy, out(), "the same greedy text without the KV cache");
        assertEquals(0, generate("--run", run.toString(), "--prompt", "the ", "--max-tokens", "25", "--top-k", "5", "--top-p", "0.9", "--seed", "4"));
        String sampled = out();
        assertEquals(0, generate("--run", run.toString(), "--prompt", "the ", "--max-tokens", "25", "--top-k", "5", "--top-p", "0.9", "--seed", "4"));
        assertEquals(sampled, out(), "the same seed samples the same text");

        byte[] w = Files.readAllBytes(run.resolve("model.safetensors"));
        w[w.length - 3] ^= 0x10;                                        // one flipped bit in the last weight
        Files.write(run.resolve("model.safetensors"), w);
        assertEquals(1, generate("--run", run.toString()));
        assertTrue(err().contains("corrupt"), err());
    }

    @Test
    void trainsAndSavesABpeTokenizer() throws IOException {
        Path run = dir.resolve("bpe");
        assertEquals(0, train("--text " + text() + " --tokenizer bpe:300 --out " + run + " " + TINY), err());
        assertTrue(Files.isRegularFile(run.resolve("tokenizer.bpe")));
        assertTrue(Files.readString(run.resolve("tokenizer.json")).contains("\"bpe\""));
        assertEquals(0, generate("--run", run.toString(), "--prompt", "the sea", "--max-tokens", "10", "--temperature", "0"), err());
        assertTrue(out().startsWith("the sea"), out());
    }

    @Test
    void usageErrorsExitTwoWithAClearMessage() throws IOException {
        String base = "--text " + text() + " --out " + dir.resolve("x") + " ";
        String[][] cases = {
            {"--heads 3 --width 16", "--heads 3 must divide --width 16"},
            {"--tokenizer bpe:10", "bpe:N"},
            {"--tokenizer words", "--tokenizer must be"},
            {"--steps 0", "--steps must be >= 1"},
            {"--steps 5 --warmup 10", "--warmup 10 must be at most --steps 5"},
            {"--lr abc", "--lr must be a number"},
            {"--dropout 1.5", "--dropout must be in"},
            {"--bogus 1", "unknown flag --bogus"},
            {"--patience -1", "--patience must be >= 0"},
            {"--accumulate 0", "--accumulate must be >= 1"},
        };
        for (String[] c : cases) {
            assertEquals(2, train(base + c[0]), c[0]);
            assertTrue(err().contains(c[1]), c[0] + " -> " + err());
        }
        assertEquals(2, train("--corpus atlantis --out " + dir.resolve("y")));
        assertTrue(err().contains("unknown corpus 'atlantis'"), err());
        assertTrue(!Files.exists(dir.resolve("x")) && !Files.exists(dir.resolve("y")), "nothing is written on a usage error");
        assertEquals(0, train("--help"));
        assertTrue(out().contains("--resume") && out().contains("bpe:N"));

        assertEquals(2, generate("--run", dir.resolve("none").toString()));
        assertTrue(err().contains("no run folder"), err());
        for (String[] bad : new String[][] {{"--temperature", "-1"}, {"--top-p", "0"}, {"--top-k", "x"}, {"--max-tokens", "-1"}, {"--wat"},
                {"--quick"}, {"--prompt", ""}})
            assertEquals(2, generate(bad), String.join(" ", bad));
        assertEquals(0, generate("--help"));
        assertTrue(out().contains("--top-p"));
    }
}
