package llmbook.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.nn.Linear;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving and loading any module's weights by path: round trip, and strict refusals that name what differs. */
class WeightsTest {
    @TempDir Path dir;

    static TransformerConfig small() { return TransformerConfig.llama(20).toBuilder().context(8).layers(2).width(16).hidden(24).build(); }

    @Test void roundTripsEveryParameterAndTheMetadata() throws IOException {
        var a = new Decoder(small().withMla(8, 4), new Rng(1));
        var b = new Decoder(small().withMla(8, 4), new Rng(2));
        Path f = dir.resolve("w.safetensors");
        Weights.save(f, a, Map.of("step", "7"));
        Map<String, String> meta = Weights.load(f, b);
        assertEquals("7", meta.get("step"));
        assertTrue(meta.containsKey(Weights.CRC));
        for (var e : a.namedParameters().entrySet())
            assertArrayEquals(e.getValue().toArray(), b.namedParameters().get(e.getKey()).toArray(), 0f, e.getKey());
        int[] ids = {1, 2, 3, 4};
        try (var ng = Tensor.noGrad()) {
            assertArrayEquals(a.logits(ids, 1, 4).toArray(), b.logits(ids, 1, 4).toArray(), 0f);
        }
    }

    @Test void refusesMissingAndUnexpectedNames() throws IOException {
        Path f = dir.resolve("w.safetensors");
        Weights.save(f, new Decoder(small(), new Rng(1)), Map.of());
        var e = assertThrows(IOException.class, () -> Weights.load(f, new Decoder(small().withLayers(3), new Rng(1))));
        assertTrue(e.getMessage().contains("missing [h.2.") && !e.getMessage().contains("unexpected"), e.getMessage());
        e = assertThrows(IOException.class, () -> Weights.load(f, new Decoder(small().withLayers(1), new Rng(1))));
        assertTrue(e.getMessage().contains("unexpected [h.1."), e.getMessage());
        e = assertThrows(IOException.class, () -> Weights.load(f, new Linear(3, 4, new Rng(1))));
        assertTrue(e.getMessage().contains("missing [weight, bias]") && e.getMessage().contains("more"), e.getMessage());
    }

    @Test void refusesAShapeMismatchNamingBothShapes() throws IOException {
        Path f = dir.resolve("w.safetensors");
        Weights.save(f, new Decoder(small(), new Rng(1)), Map.of());
        var model = new Decoder(small().withVocab(21), new Rng(1));
        float before = model.namedParameters().get("h.0.mlp.w1.weight").toArray()[0];
        var e = assertThrows(IOException.class, () -> Weights.load(f, model));
        assertTrue(e.getMessage().contains("'wte.weight'") && e.getMessage().contains("[20, 16]") && e.getMessage().contains("[21, 16]"), e.getMessage());
        assertEquals(before, model.namedParameters().get("h.0.mlp.w1.weight").toArray()[0], "nothing copied from a file that does not fit");
    }

    @Test void refusesCorruptBytes() throws IOException {
        Path f = dir.resolve("w.safetensors");
        var lin = new Linear(3, 4, new Rng(1));
        Weights.save(f, lin, Map.of());
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length - 3] ^= 0x10;
        Files.write(f, bytes);
        var e = assertThrows(IOException.class, () -> Weights.load(f, new Linear(3, 4, new Rng(2))));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }
}
