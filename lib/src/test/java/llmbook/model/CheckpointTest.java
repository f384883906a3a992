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

    /** A run folder of the first GPT (its config.json has no "arch") is refused with the reason, not misread. */
    @Test void aRunOfTheFirstGptIsRefused() throws IOException {
        CharTokenizer tok = CharTokenizer.fit("the quick brown fox jumps over a lazy dog");
        Checkpoint.save(dir, new Decoder(TestModels.gpt(tok.vocabSize(), 16, 2, 4, 32, 0f), new Rng(4)), tok, Map.of());
        Files.writeString(dir.resolve(Checkpoint.CONFIG), "{\"vocab\": " + tok.vocabSize() + ", \"context\": 16, \"layers\": 2, \"heads\": 4, \"width\": 32, \"dropout\": 0}\n");
        var e = assertThrows(IOException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains("earlier llmbook"), e.getMessage());
    }

    @Test void refusesAConfigChangedAfterSaving() throws IOException {
        CharTokenizer tok = CharTokenizer.fit("abc");
        var cfg = TransformerConfig.gpt2(tok.vocabSize()).toBuilder().context(8).layers(1).width(16).hidden(32).build();
        Checkpoint.save(dir, new Decoder(cfg, new Rng(1)), tok, Map.of());
        Path c = dir.resolve(Checkpoint.CONFIG);
        Files.writeString(c, Files.readString(c).replace("\"dropout\":0", "\"dropout\":0.1"));
        var e = assertThrows(IOException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains("dropout is 0.1 in config.json but 0 in model.safetensors"), e.getMessage());
        Files.writeString(c, "{\"vocab\": 4}");
        e = assertThrows(IOException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains("bad config.json") && e.getMessage().contains("'cutoffs'"), e.getMessage());
        Files.delete(dir.resolve(Checkpoint.TOKENIZER));
        e = assertThrows(IOException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains("has no tokenizer.json"), e.getMessage());
    }
}
