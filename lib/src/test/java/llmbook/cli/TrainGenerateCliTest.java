package llmbook.cli;

import llmbook.model.transformer.TransformerConfig;

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

    /** Every variant the flags describe trains, is recorded in run.json and config.json, resumes, and generates the same greedy text with and without the cache. */
    @Test
    void everyModelVariantTrainsResumesAndGenerates() throws IOException {
        String[][] variants = {
                {"--preset llama", "\"norm\":\"RMS_NORM\"", "\"ffn\":\"SWIGLU\"", "\"attention\":\"GQA\"", "\"positions\":\"ROPE\""},
                {"--attention mqa --norm rms", "\"attention\":\"MQA\"", "\"norm\":\"RMS_NORM\""},
                {"--attention mla:8:4 --positions rope", "\"attention\":\"MLA\"", "\"latent\":8", "\"rope_dim\":4"},
                {"--attention gqa:1 --positions sinusoidal --mlp relu", "\"kv_heads\":1", "\"positions\":\"SINUSOIDAL\"", "\"ffn\":\"RELU\""},
                {"--positions none --mlp swiglu", "\"positions\":\"NONE\"", "\"ffn\":\"SWIGLU\""},
                {"--positions alibi --attention gqa:1", "\"positions\":\"ALIBI\"", "\"kv_heads\":1"},
                {"--moe 4:2", "\"experts\":4", "\"top_k\":2"}};
        for (String[] v : variants) {
            Path run = dir.resolve("v" + v[0].replaceAll("[^a-z0-9]", ""));
            String tiny = TINY.replace("--steps 6", "--steps 3");
            assertEquals(0, train("--text " + text() + " --out " + run + " " + tiny + " " + v[0]), v[0] + ": " + err());
            String config = Files.readString(run.resolve("config.json"));
            for (int i = 1; i < v.length; i++) assertTrue(config.contains(v[i]), v[0] + " -> " + config);
            String settings = Files.readString(run.resolve("run.json"));
            for (String flag : v[0].split(" ")) if (flag.startsWith("--")) assertTrue(settings.contains("\"" + flag.substring(2) + "\""), settings);
            assertEquals(0, train("--resume --out " + run), v[0] + " resume: " + err());   // the state file fits this variant
            assertTrue(out().contains("resuming") && out().contains("nothing to do"), out());
            assertEquals(0, generate("--run", run.toString(), "--prompt", "the ", "--max-tokens", "20", "--temperature", "0"), err());
            String cached = out();
            assertEquals(0, generate("--run", run.toString(), "--prompt", "the ", "--max-tokens", "20", "--temperature", "0", "--no-cache"));
            assertEquals(cached, out(), v[0] + ": the same greedy text without the KV cache");
        }
        assertEquals(2, train("--text " + text() + " --out " + dir.resolve("bad") + " " + TINY + " --attention gqa:3"));
        assertTrue(err().contains("gqa:3: G must divide --heads 2"), err());
        assertEquals(2, train("--text " + text() + " --out " + dir.resolve("bad") + " " + TINY + " --attention mla:8:3"));
        assertTrue(err().contains("d_R"), err());
        assertEquals(2, train("--text " + text() + " --out " + dir.resolve("bad") + " " + TINY + " --preset gpt3"));
        assertTrue(err().contains("--preset must be gpt2 or llama"), err());
        assertEquals(2, train("--text " + text() + " --out " + dir.resolve("bad") + " " + TINY + " --norm batch"));
        assertTrue(err().contains("--norm must be layer or rms"), err());
        assertEquals(2, train("--text " + text() + " --out " + dir.resolve("bad") + " " + TINY + " --moe 4:5"));
        assertTrue(err().contains("experts=4, topK=5"), err());
        assertEquals(2, train("--text " + text() + " --out " + dir.resolve("bad") + " " + TINY + " --moe 8"));
        assertTrue(err().contains("--moe must be E:K"), err());
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

    // issue 10, item 5: what cannot fit is refused before anything is allocated, with the numbers
    @Test
    void aBatchOrContextThatCannotFitIsRefusedWithTheNumbers() throws IOException {
        long heap = Runtime.getRuntime().maxMemory();
        // 100,000 × 128 tokens at ≈ 100 KB each is ≈ 1.3 TB: more than any test JVM's heap
        assertEquals(2, train("--text " + text() + " --out " + dir.resolve("b") + " --batch 100000 --threads 1"));
        assertTrue(err().contains("batch 100,000 × context 128 = 12,800,000 tokens per micro-batch need ≈ ")
                && err().contains("of activations") && err().contains("the heap limit is " + MemoryEstimate.size(heap))
                && err().contains("LLMBOOK_JAVA_OPTS=-Xmx"), err());
        assertEquals(2, train("--text " + text() + " --out " + dir.resolve("b") + " --batch 100000000 --threads 1"));
        assertTrue(err().contains("batch 100,000,000 × context 128 = 12,800,000,000 tokens per micro-batch need ≈ "), err());
        assertEquals(2, train("--text " + text() + " --out " + dir.resolve("b") + " --context 100000 --threads 1"));
        assertTrue(err().contains("batch 16 × context 100,000 = 1,600,000 tokens per micro-batch need ≈ "), err());
        assertTrue(!Files.exists(dir.resolve("b")), "nothing written");
        assertTrue(!err().contains("Exception"), err());
    }

    @Test
    void theActivationCountFollowsTheForwardPass() {
        // the reference model on Moby Dick's 84 characters: 5C + L(40C + H + 4) + 3V + 2 with C=128, L=4, H=4, V=84
        var ref = TransformerConfig.gpt2(84);
        assertEquals(5 * 128 + 4 * (40 * 128 + 4 + 4) + 3 * 84 + 2, MemoryEstimate.activationFloatsPerToken(ref));
        assertEquals(21_406, MemoryEstimate.activationFloatsPerToken(ref));
        var m = MemoryEstimate.training(ref, 16, false, 1_000_000);
        assertEquals(4 * 820_480L, m.weights());
        assertEquals(2 * 4 * 820_480L, m.optimizer());
        // 16 × 128 tokens × 21,406 floats × 4 bytes × 1.2 ≈ 210 MB (92 KB per token measured, see MemoryEstimate)
        assertEquals(210.4e6, m.activations(), 0.1e6);
        assertTrue(catchUsage(() -> m.checkTraining(ref, 16, 1, 100_000_000L)).contains("use --batch 6 or less (--batch 4 --accumulate 4 trains on the same 16 sequences per step), or raise the limit with LLMBOOK_JAVA_OPTS=-Xmx1g"),
                catchUsage(() -> m.checkTraining(ref, 16, 1, 100_000_000L)));
        m.checkTraining(ref, 16, 1, 1L << 30);                               // fits in 1 GB
        // with a heap big enough for anything, Java's arrays still stop at 2^31 elements
        var huge = MemoryEstimate.training(ref, 100_000, false, 0);
        assertTrue(catchUsage(() -> huge.checkTraining(ref, 100_000, 1, Long.MAX_VALUE)).startsWith("--batch 100000 × --context 128 is too big: "
                + "one (B·T, 512) array of 6,553,600,000 floats exceeds Java's array limit of 2^31"));
    }

    private static String catchUsage(Runnable r) {
        try {
            r.run();
            return "";
        } catch (Flags.UsageException e) {
            return e.getMessage();
        }
    }

    @Test
    void longGenerationsAreStreamedNotHeldInOneArray() throws IOException {
        Path run = dir.resolve("run");
        assertEquals(0, train("--text " + text() + " --out " + run + " " + TINY), err());
        var c = llmbook.model.Checkpoint.load(run);
        var gen = new llmbook.sample.Generator(c.model());
        int[] prompt = c.tokenizer().encode("the ");
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> gen.generate(prompt, Integer.MAX_VALUE, llmbook.sample.Sampler.greedy()));
        assertTrue(e.getMessage().contains("do not fit in one array"), e.getMessage());
        int[] count = {0};
        class Enough extends RuntimeException {}
        org.junit.jupiter.api.Assertions.assertThrows(Enough.class, () -> gen.stream(prompt, Integer.MAX_VALUE,
                llmbook.sample.Sampler.of(0.8f, 0, 1f, new llmbook.tensor.Rng(1)), (id, pos) -> { if (++count[0] == 3000) throw new Enough(); }));
        assertEquals(3000, count[0], "2^31 - 1 tokens asked for: they start coming at once, many windows past the context");
        // the streamed text is the text of the array version, with and without the cache
        int[] all = gen.generate(prompt, 100, llmbook.sample.Sampler.of(0.8f, 5, 0.9f, new llmbook.tensor.Rng(7)));
        assertEquals(0, generate("--run", run.toString(), "--prompt", "the ", "--max-tokens", "100", "--top-k", "5", "--top-p", "0.9", "--seed", "7"));
        assertEquals(c.tokenizer().decode(all) + "\n", out());
        assertEquals(0, generate("--run", run.toString(), "--prompt", "the ", "--max-tokens", "100", "--top-k", "5", "--top-p", "0.9", "--seed", "7",
                "--no-cache"));
        assertEquals(c.tokenizer().decode(all) + "\n", out());
    }

    // item 6: files that are not UTF-8 are named, with the offset of the first bad byte
    @Test
    void nonUtf8FilesAreNamedWithTheOffset() throws IOException {
        Path run = dir.resolve("run");
        assertEquals(0, train("--text " + text() + " --out " + run + " " + TINY), err());
        byte[] config = Files.readAllBytes(run.resolve("config.json"));

        Files.write(run.resolve("config.json"), new byte[] {'{', '"', (byte) 0xE9, '"', '}'});     // Latin-1 é
        assertEquals(1, generate("--run", run.toString()));
        assertEquals("llmbook generate: model config " + run.resolve("config.json")
                + " is not UTF-8 text: byte 0xE9 at offset 2 is not valid UTF-8 (Latin-1 or another encoding, or binary data?)\n", err());
        Files.write(run.resolve("config.json"), config);

        Files.write(run.resolve("tokenizer.json"), new byte[] {(byte) 0xFF, (byte) 0xFE, '{', 0, '}', 0});   // UTF-16
        assertEquals(1, generate("--run", run.toString()));
        assertTrue(err().contains("tokenizer description " + run.resolve("tokenizer.json") + " is not UTF-8 text: byte 0xFF at offset 0"), err());

        Files.write(run.resolve("run.json"), new byte[0]);
        assertEquals(1, train("--resume --out " + run));
        assertTrue(err().contains("run settings " + run.resolve("run.json") + " are empty"), err());
        Files.write(run.resolve("run.json"), new byte[] {'{', (byte) 0x80});
        assertEquals(1, train("--resume --out " + run));
        assertTrue(err().contains(run.resolve("run.json") + " is not UTF-8 text: byte 0x80 at offset 1"), err());
        Files.writeString(run.resolve("run.json"), "[1]");
        assertEquals(1, train("--resume --out " + run));
        assertTrue(err().contains("run settings " + run.resolve("run.json") + " are not valid: JSON: expected an object"), err());
        Files.writeString(run.resolve("run.json"), "{\"batch\": \"lots\"}");
        assertEquals(1, train("--resume --out " + run));
        assertTrue(err().contains("are not valid: --batch must be a whole number, got 'lots'"), err());

        Path latin1 = dir.resolve("latin1.txt");
        Files.write(latin1, "caf\u00e9 au lait\n".repeat(100).getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(1, train("--text " + latin1 + " --out " + dir.resolve("l") + " " + TINY));
        assertEquals("llmbook train: --text file " + latin1 + " is not UTF-8 text: byte 0xE9 at offset 3 is not valid UTF-8"
                + " (Latin-1 or another encoding, or binary data?)\n", err());
    }

    // item 7: a config.json edited by hand no longer matches the weights, even when the shapes still do
    @Test
    void anEditedConfigIsRefused() throws IOException {
        Path run = dir.resolve("run");
        assertEquals(0, train("--text " + text() + " --out " + run + " " + TINY), err());
        Path cfg = run.resolve("config.json");
        String saved = Files.readString(cfg);
        Files.writeString(cfg, saved.replace("\"heads\":2", "\"heads\":1"));
        assertEquals(1, generate("--run", run.toString()));
        assertTrue(err().contains("config.json does not match the config the weights were trained with (heads is 1 in config.json but 2 in "
                + "model.safetensors): was config.json edited? Put back " + saved.trim()), err());
        Files.writeString(cfg, saved);
        assertEquals(0, generate("--run", run.toString(), "--prompt", "the ", "--max-tokens", "3"), err());
    }

    // item 8: characters a character model has never seen are named, not turned into U+FFFD
    @Test
    void unknownPromptCharactersAreNamed() throws IOException {
        Path run = dir.resolve("run");
        assertEquals(0, train("--text " + text() + " --out " + run + " " + TINY), err());
        assertEquals(2, generate("--run", run.toString(), "--prompt", "th\u00e9 s\u2603a \u00e9", "--max-tokens", "3"));
        assertTrue(err().startsWith("llmbook generate: --prompt: 2 character(s) are not in this character model's vocabulary of "),
                err());
        assertTrue(err().contains(": '\u00e9' (U+00E9), '\u2603' (U+2603); remove or replace them"), err());
        assertTrue(out().isEmpty(), out());
    }

    // item 10: temporary files of an interrupted save are removed on the next start
    @Test
    void unfinishedTemporaryFilesAreRemovedOnTheNextStart() throws IOException {
        Path run = dir.resolve("run");
        assertEquals(0, train("--text " + text() + " --out " + run + " " + TINY), err());
        for (String f : new String[] {"model.safetensors8031295731.tmp", "train_state.safetensors77.tmp", "notes123.tmp", "run.json.tmp"})
            Files.writeString(run.resolve(f), "x");
        assertEquals(0, train("--resume --out " + run), err());
        assertTrue(out().contains("removed 2 unfinished temporary file(s)"), out());
        assertTrue(!Files.exists(run.resolve("model.safetensors8031295731.tmp")) && !Files.exists(run.resolve("train_state.safetensors77.tmp")));
        assertTrue(Files.exists(run.resolve("notes123.tmp")) && Files.exists(run.resolve("run.json.tmp")), "only what AtomicFiles names");
    }
}
