package llmbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import llmbook.sample.TextMetrics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./llmbook generate --strategy greedy|sample|beam:K, --length-penalty, --num-return, --no-repeat-ngram (chapter 7). Q19–Q21. */
class GenerateStrategyCliTest {
    @TempDir static Path dir;
    static Path run;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    @BeforeAll
    static void trainTinyModel() throws IOException {
        Path text = dir.resolve("tiny.txt");
        Files.writeString(text, "the whale swam in the sea and the sea was deep.\nthe men sang as the ship sailed.\n".repeat(30));
        run = dir.resolve("run");
        String args = "--text " + text + " --out " + run + " " + TrainGenerateCliTest.TINY.replace("--context 16", "--context 48");
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        assertEquals(0, Train.run(args.split("\\s+"), new PrintStream(new ByteArrayOutputStream()), new PrintStream(e)), e.toString());
    }

    private int generate(String... args) {
        out.reset();
        err.reset();
        List<String> a = new ArrayList<>(List.of("--run", run.toString(), "--prompt", "the ", "--max-tokens", "30"));
        a.addAll(List.of(args));
        return Generate.run(a.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() { return out.toString(StandardCharsets.UTF_8); }

    private String err() { return err.toString(StandardCharsets.UTF_8); }

    @Test
    void beamOfWidthOneIsGreedyAndTheCacheChangesNothing() {
        assertEquals(0, generate("--temperature", "0"), err());
        String greedy = out();
        assertEquals(0, generate("--strategy", "greedy"), err());
        assertEquals(greedy, out(), "--strategy greedy = --temperature 0");
        assertEquals(0, generate("--strategy", "beam:1"), err());
        assertEquals(greedy, out(), "beam width 1 = greedy");
        assertEquals(0, generate("--strategy", "beam:4", "--length-penalty", "0.6"), err());
        String beam = out();
        assertEquals(0, generate("--strategy", "beam:4", "--length-penalty", "0.6", "--no-cache"), err());
        assertEquals(beam, out(), "beam search with and without the KV cache");
    }

    @Test
    void nBestListsComeSortedWithTheirScores() {
        assertEquals(0, generate("--strategy", "beam:5", "--num-return", "3", "--length-penalty", "average"), err());
        Matcher m = Pattern.compile("--- beam (\\d) of 5: score (-?[0-9.]+), log-probability (-?[0-9.]+), (\\d+) tokens").matcher(out());
        List<Double> scores = new ArrayList<>();
        while (m.find()) {
            scores.add(Double.parseDouble(m.group(2)));
            assertEquals(Double.parseDouble(m.group(3)) / Integer.parseInt(m.group(4)), scores.getLast(), 1e-3, "average: score = logp / length");
        }
        assertEquals(3, scores.size(), out());
        assertTrue(scores.get(0) >= scores.get(1) && scores.get(1) >= scores.get(2), scores.toString());
        assertEquals(0, generate("--num-return", "2", "--seed", "3"), err());
        String[] parts = out().split("--- sample \\d of 2\\n");
        assertEquals(3, parts.length, out());
        assertNotEquals(parts[1], parts[2], "two samples from one seeded stream differ");
    }

    @Test
    void noRepeatNgramHolds() {
        for (String strategy : new String[] {"greedy", "beam:3"}) {
            assertEquals(0, generate("--strategy", strategy, "--no-repeat-ngram", "3"), err());
            int[] cps = out().strip().codePoints().toArray();
            assertEquals(0, TextMetrics.repetitionRate(cps, 3), strategy + ": " + out());
        }
    }

    @Test
    void badValuesAreRefusedWithTheValidRange() {
        String[][] cases = {
            {"--strategy beam:0", "K must be in [1, 64], got 0"},
            {"--strategy beam:x", "beam:K needs a whole number K in [1, 64]"},
            {"--strategy topk", "--strategy must be greedy, sample or beam:K"},
            {"--strategy beam:2 --length-penalty -1", "alpha must be in [0, 10]"},
            {"--strategy beam:2 --length-penalty long", "'none', 'average' or a GNMT alpha"},
            {"--length-penalty 0.6", "--length-penalty only goes with --strategy beam:K"},
            {"--num-return 0", "--num-return must be >= 1"},
            {"--strategy beam:4 --num-return 5", "at most the beam width 4"},
            {"--strategy greedy --num-return 2", "greedy decoding has one output"},
            {"--no-repeat-ngram -1", "--no-repeat-ngram must be >= 0"},
            {"--strategy beam:2 --top-k 5", "--top-k only goes with sampling"},
            {"--strategy sample --temperature 0", "needs --temperature > 0"},
            {"--top-p 1.5", "--top-p must be in"},
            {"--frequency-penalty -1", "--frequency-penalty must be in [0.0, 100.0]"},
            {"--strategy beam:2 --max-tokens 60", "at most 44 new tokens fit"},
            {"--torch", "--torch only goes with --bench"},
            {"--bench --torch", "drop --run and --preset"},
        };
        for (String[] c : cases) {
            assertEquals(2, generate(c[0].split(" ")), c[0] + " -> " + out());
            assertTrue(err().contains(c[1]), c[0] + " -> " + err());
            assertTrue(!err().contains("Exception") && !err().contains("\tat "), "no stack trace: " + err());
        }
    }
}
