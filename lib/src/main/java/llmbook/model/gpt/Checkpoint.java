package llmbook.model.gpt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import llmbook.io.SafeTensors;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import llmbook.tokenizer.CharTokenizer;
import llmbook.util.AtomicFiles;
import llmbook.util.Json;

/**
 * A trained GPT on disk, in one folder: {@code model.safetensors} (the weights, by parameter name),
 * {@code config.json} (the {@link GptConfig}) and {@code tokenizer.json} (the character vocabulary).
 * Every file is written atomically; loading checks that names and shapes match the config exactly and
 * says what differs.
 */
public final class Checkpoint {
    private Checkpoint() {}

    public static final String WEIGHTS = "model.safetensors", CONFIG = "config.json", TOKENIZER = "tokenizer.json";

    /** A model with the tokenizer it was trained with. */
    public record Loaded(Gpt model, CharTokenizer tokenizer, Map<String, String> metadata) {}

    /** Saves weights, config and tokenizer into {@code dir}; {@code metadata} goes into the safetensors header. */
    public static void save(Path dir, Gpt model, CharTokenizer tokenizer, Map<String, String> metadata) throws IOException {
        Files.createDirectories(dir);
        Map<String, SafeTensors.Entry> tensors = new LinkedHashMap<>();
        for (var e : model.namedParameters().entrySet())
            tensors.put(e.getKey(), new SafeTensors.Entry(e.getValue().shape(), e.getValue().toArray()));
        SafeTensors.write(dir.resolve(WEIGHTS), tensors, metadata);
        GptConfig c = model.config;
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("vocab", c.vocab());
        cfg.put("context", c.context());
        cfg.put("layers", c.layers());
        cfg.put("heads", c.heads());
        cfg.put("width", c.width());
        cfg.put("dropout", (double) c.dropout());
        AtomicFiles.writeString(dir.resolve(CONFIG), Json.write(cfg) + "\n");
        StringBuilder alphabet = new StringBuilder();
        for (int id = 1; id < tokenizer.vocabSize(); id++) alphabet.append(tokenizer.piece(id));
        Map<String, Object> tok = new LinkedHashMap<>();
        tok.put("type", "char");
        tok.put("alphabet", alphabet.toString());
        AtomicFiles.writeString(dir.resolve(TOKENIZER), Json.write(tok) + "\n");
    }

    /** Loads a folder written by {@link #save}, refusing it with the reason if anything does not fit. */
    public static Loaded load(Path dir) throws IOException {
        for (String f : new String[] {WEIGHTS, CONFIG, TOKENIZER})
            if (!Files.isRegularFile(dir.resolve(f))) throw new IOException("checkpoint " + dir + " has no " + f);
        Map<String, Object> c = Json.parseObject(Files.readString(dir.resolve(CONFIG)));
        GptConfig config;
        try {
            config = new GptConfig(num(c, "vocab"), num(c, "context"), num(c, "layers"), num(c, "heads"), num(c, "width"),
                    ((Number) c.getOrDefault("dropout", 0.0)).floatValue());
        } catch (RuntimeException e) {
            throw new IOException("checkpoint " + dir + ": bad " + CONFIG + ": " + e.getMessage());
        }
        Map<String, Object> t = Json.parseObject(Files.readString(dir.resolve(TOKENIZER)));
        if (!"char".equals(t.get("type")) || !(t.get("alphabet") instanceof String alphabet))
            throw new IOException("checkpoint " + dir + ": " + TOKENIZER + " must be {\"type\": \"char\", \"alphabet\": ...}");
        CharTokenizer tok = CharTokenizer.fit(alphabet);
        if (tok.vocabSize() != config.vocab())
            throw new IOException("checkpoint " + dir + ": the tokenizer has " + tok.vocabSize() + " ids but the model's vocab is " + config.vocab());
        SafeTensors.Contents w = SafeTensors.read(dir.resolve(WEIGHTS));
        Gpt model = new Gpt(config, new Rng(0));
        Map<String, Tensor> params = model.namedParameters();
        for (var e : params.entrySet()) {
            SafeTensors.Entry got = w.tensors().get(e.getKey());
            if (got == null) throw new IOException("checkpoint " + dir + ": tensor '" + e.getKey() + "' is missing from " + WEIGHTS);
            if (!Arrays.equals(got.shape(), e.getValue().shape()))
                throw new IOException("checkpoint " + dir + ": tensor '" + e.getKey() + "' has shape " + Arrays.toString(got.shape())
                        + ", the config needs " + Arrays.toString(e.getValue().shape()));
            System.arraycopy(got.data(), 0, e.getValue().data(), 0, got.data().length);
        }
        for (String name : w.tensors().keySet())
            if (!params.containsKey(name)) throw new IOException("checkpoint " + dir + ": unexpected tensor '" + name + "' in " + WEIGHTS);
        return new Loaded(model, tok, w.metadata());
    }

    private static int num(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Number n)) throw new IllegalArgumentException("'" + key + "' is missing or not a number");
        return n.intValue();
    }

}
