package llmbook.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import llmbook.tokenizer.CharTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run folder for every variant: config, tokenizer and weights come back; a config edited after saving is refused. */
class CheckpointTest {
    @TempDir Path dir;

    @Test void everyVariantComesBack() throws IOException {
        CharTokenizer tok = CharTokenizer.fit("the quick brown fox jumps over a lazy dog");
        var base = TransformerConfig.gpt2(tok.vocabSize()).toBuilder().context(8).layers(1).width(16).hidden(32).build();
        var variants = new TransformerConfig[] {base, TransformerConfig.llama(tok.vocabSize()).toBuilder().context(8).layers(1).width(16).hidden(24).build(),
                base.withMla(8, 4), base.withAttention(TransformerConfig.Attention.MQA).withAdaptiveHead(5, 12)};
        int k = 0;
        for (var cfg : variants) {
            Path run = dir.resolve("run" + k++);
            var model = new Decoder(cfg, new Rng(3));
            Checkpoint.save(run, model, tok, Map.of("step", "5"));
            var loaded = Checkpoint.load(run);
            assertEquals(cfg, loaded.model().config);
            assertEquals(tok.vocabSize(), loaded.tokenizer().vocabSize());
            assertEquals("5", loaded.metadata().get("step"));
            int[] ids = tok.encode("a fox");
            try (var ng = Tensor.noGrad()) {
                assertArrayEquals(model.logits(ids, 1, ids.length).toArray(), loaded.model().logits(ids, 1, ids.length).toArray(), 0f, cfg.toString());
            }
        }
    }

    /** A run folder of the first GPT (model.gpt.Checkpoint) loads as the gpt2 architecture with the same logits. */
    @Test void loadsARunOfTheFirstGpt() throws IOException {
        CharTokenizer tok = CharTokenizer.fit("the quick brown fox jumps over a lazy dog");
        var gpt = new llmbook.model.gpt.Gpt(new llmbook.model.gpt.GptConfig(tok.vocabSize(), 16, 2, 4, 32, 0f), new Rng(4));
        llmbook.model.gpt.Checkpoint.save(dir, gpt, tok, Map.of("step", "9"));
        var loaded = Checkpoint.load(dir);
        assertEquals(TransformerConfig.gpt2(tok.vocabSize()).toBuilder().context(16).layers(2).width(32).hidden(128).build(), loaded.model().config);
        assertEquals("9", loaded.metadata().get("step"));
        int[] ids = tok.encode("a lazy fox");
        try (var ng = Tensor.noGrad()) {
            float[] a = gpt.forward(ids, 1, ids.length).toArray(), b = loaded.model().logits(ids, 1, ids.length).toArray();
            for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-5f, "logit " + i);
        }
    }

    @Test void refusesAConfigChangedAfterSaving() throws IOException {
        CharTokenizer tok = CharTokenizer.fit("abc");
        var cfg = TransformerConfig.gpt2(tok.vocabSize()).toBuilder().context(8).layers(1).width(16).hidden(32).build();
        Checkpoint.save(dir, new Decoder(cfg, new Rng(1)), tok, Map.of());
        Path c = dir.resolve(Checkpoint.CONFIG);
        Files.writeString(c, Files.readString(c).replace("\"dropout\":0", "\"dropout\":0.1"));
        var e = assertThrows(IOException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains("not the config these weights were saved with"), e.getMessage());
        Files.writeString(c, "{\"vocab\": 4}");
        e = assertThrows(IOException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains("bad config.json") && e.getMessage().contains("'cutoffs'"), e.getMessage());
        Files.delete(dir.resolve(Checkpoint.TOKENIZER));
        e = assertThrows(IOException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains("has no tokenizer.json"), e.getMessage());
    }
}
