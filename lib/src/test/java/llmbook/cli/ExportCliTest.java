package llmbook.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import llmbook.io.Llama2c;
import llmbook.model.Checkpoint;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.tensor.Rng;
import llmbook.tokenizer.CharTokenizer;

/** ./llmbook export and ./llmbook bench --serve: what they write, and their one-line refusals. */
class ExportCliTest {
    @TempDir Path dir;

    static String[] export(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Export.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    Path save(String name, TransformerConfig c) throws Exception {
        CharTokenizer tok = CharTokenizer.fit("abcdef ghij");
        Path run = dir.resolve(name);
        Checkpoint.save(run, new Decoder(c.withVocab(tok.vocabSize()), new Rng(2)), tok, Map.of());
        return run;
    }

    @Test
    void writesALlamaRunAndItsTokenizer() throws Exception {
        Path run = save("llama", TransformerConfig.llama(12).toBuilder().context(16).layers(1).heads(2).width(16).hidden(24).build());
        String[] r = export("--run", run.toString(), "--format", "llama2c", "--out", dir.resolve("m.bin").toString(), "--tokenizer-out",
                dir.resolve("tok.bin").toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("separate classifier"), r[1]);
        assertEquals(16, Llama2c.read(dir.resolve("m.bin")).header().dim());
        assertTrue(Files.size(dir.resolve("tok.bin")) > 4);
    }

    @Test
    void refusesOtherPresetsAndBadFlagsInOneLine() throws Exception {
        Path run = save("gpt", TransformerConfig.gpt2(12).toBuilder().context(16).layers(1).heads(2).width(16).hidden(24).build());
        String[] r = export("--run", run.toString(), "--out", dir.resolve("m.bin").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("not a llama-preset model") && r[2].contains("--preset llama"), r[2]);
        assertEquals(1, r[2].strip().lines().count(), r[2]);
        assertFalse(Files.exists(dir.resolve("m.bin")));
        r = export("--run", run.toString(), "--format", "gguf", "--out", "x");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--format must be llama2c"), r[2]);
        r = export("--out", "x");
        assertEquals("2", r[0]);
        r = export("--help");
        assertTrue(r[1].startsWith("usage: ./llmbook export"));
    }

    @Test
    void benchServeRefusesBadFlags() {
        var err = new ByteArrayOutputStream();
        int code = BenchServe.run(new String[] {"--serve", "--clients", "1,0"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("clients must be in 1"), err.toString(StandardCharsets.UTF_8));
        assertTrue(BenchServe.wants(new String[] {"--serve"}));
    }
}
