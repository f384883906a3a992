package llmbook.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import llmbook.io.SafeTensors;
import llmbook.io.Weights;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.tensor.Rng;
import llmbook.tokenizer.BpeTokenizer;
import llmbook.tokenizer.CharTokenizer;
import llmbook.tokenizer.Tokenizer;
import llmbook.util.AtomicFiles;
import llmbook.util.Json;
import llmbook.util.TextFiles;

/**
 * A trained {@link Decoder} on disk, in one folder: {@code model.safetensors} (the weights by path, with a CRC-32 of
 * their bytes and the SHA-256 of {@code config.json} in the header), {@code config.json} (the
 * {@link TransformerConfig}, every variant) and {@code tokenizer.json} (a character vocabulary inline, or
 * {@code {"type": "bpe", "file": "tokenizer.bpe"}} pointing at a saved {@link BpeTokenizer}). Every file is written
 * atomically; loading checks the checksum, that the weights were saved with this very config, and that names and
 * shapes match it exactly ({@link Weights#load}), and says what differs. Run folders of the book's first GPT
 * ({@code model.gpt.Gpt}) load too, as the {@link TransformerConfig#gpt2} architecture with their sizes.
 */
public final class Checkpoint {
    private Checkpoint() {}

    public static final String WEIGHTS = "model.safetensors", CONFIG = "config.json", TOKENIZER = "tokenizer.json",
            BPE_FILE = "tokenizer.bpe";

    /** The metadata key holding the SHA-256 (hex) of the config.json the weights belong to. */
    public static final String CONFIG_SHA = "config_sha256";

    /** The metadata key holding the config.json text itself, so an edited config can be told field by field. */
    public static final String CONFIG_SAVED = "config";

    /** A model with the tokenizer it was trained with and the weights file's metadata. */
    public record Loaded(Decoder model, Tokenizer tokenizer, Map<String, String> metadata) {}

    /** Saves weights, config and tokenizer (a {@link CharTokenizer} or a {@link BpeTokenizer}) into {@code dir}; {@code metadata} goes into the safetensors header. */
    public static void save(Path dir, Decoder model, Tokenizer tokenizer, Map<String, String> metadata) throws IOException {
        if (!(tokenizer instanceof CharTokenizer) && !(tokenizer instanceof BpeTokenizer))
            throw new IllegalArgumentException("Checkpoint: can save a char or BPE tokenizer, not " + tokenizer.getClass().getSimpleName());
        if (tokenizer.vocabSize() != model.config.vocab())
            throw new IllegalArgumentException("Checkpoint: the tokenizer has " + tokenizer.vocabSize() + " ids but the model's vocab is " + model.config.vocab());
        Files.createDirectories(dir);
        String config = Json.write(model.config.toJson()) + "\n";
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put(CONFIG_SHA, sha256(config));
        meta.put(CONFIG_SAVED, config.strip());
        AtomicFiles.writeString(dir.resolve(CONFIG), config);
        Weights.save(dir.resolve(WEIGHTS), model, meta);
        Map<String, Object> tok = new LinkedHashMap<>();
        if (tokenizer instanceof BpeTokenizer bpe) {
            bpe.save(dir.resolve(BPE_FILE));
            tok.put("type", "bpe");
            tok.put("file", BPE_FILE);
        } else {
            StringBuilder alphabet = new StringBuilder();
            for (int id = 1; id < tokenizer.vocabSize(); id++) alphabet.append(tokenizer.piece(id));
            tok.put("type", "char");
            tok.put("alphabet", alphabet.toString());
        }
        AtomicFiles.writeString(dir.resolve(TOKENIZER), Json.write(tok) + "\n");
    }

    /** The config saved in {@code dir}, refused with the reason if it is missing or malformed. */
    public static TransformerConfig loadConfig(Path dir) throws IOException {
        Path f = dir.resolve(CONFIG);
        if (!Files.isRegularFile(f)) throw new IOException("checkpoint " + dir + " has no " + CONFIG);
        try {
            Map<String, Object> m = Json.parseObject(TextFiles.readUtf8(f, "model config"));
            if (!m.containsKey("arch") && m.containsKey("width"))
                throw new IllegalArgumentException("written by an earlier llmbook (the GPT before the one model core); train the run again");
            return TransformerConfig.fromJson(m);
        } catch (RuntimeException e) {
            throw new IOException("checkpoint " + dir + ": bad " + CONFIG + ": " + e.getMessage());
        }
    }

    /** Loads a folder written by {@link #save}, refusing it with the reason if anything does not fit. */
    public static Loaded load(Path dir) throws IOException {
        for (String f : new String[] {WEIGHTS, CONFIG, TOKENIZER})
            if (!Files.isRegularFile(dir.resolve(f))) throw new IOException("checkpoint " + dir + " has no " + f);
        TransformerConfig config = loadConfig(dir);
        Tokenizer tok = loadTokenizer(dir);
        if (tok.vocabSize() != config.vocab())
            throw new IOException("checkpoint " + dir + ": the tokenizer has " + tok.vocabSize() + " ids but the model's vocab is " + config.vocab());
        SafeTensors.Contents w = SafeTensors.read(dir.resolve(WEIGHTS));
        String want = w.metadata().get(CONFIG_SHA), got = sha256(TextFiles.readUtf8(dir.resolve(CONFIG), "model config"));
        if (want != null && !want.equals(got))
            throw new IOException("checkpoint " + dir + ": " + CONFIG + " does not match the config the weights were trained with ("
                    + configDiff(TextFiles.readUtf8(dir.resolve(CONFIG), "model config"), w.metadata().get(CONFIG_SAVED)) + "): was " + CONFIG
                    + " edited? Put back " + w.metadata().getOrDefault(CONFIG_SAVED, "the file saved with the run"));
        Decoder model = new Decoder(config, new Rng(0));
        return new Loaded(model, tok, Weights.load(dir.resolve(WEIGHTS), w, model));
    }

    /** The tokenizer saved in a run folder by {@link #save}. */
    public static Tokenizer loadTokenizer(Path dir) throws IOException {
        Path f = dir.resolve(TOKENIZER);
        if (!Files.isRegularFile(f)) throw new IOException("checkpoint " + dir + " has no " + TOKENIZER);
        Map<String, Object> t;
        try {
            t = Json.parseObject(TextFiles.readUtf8(f, "tokenizer description"));
        } catch (IllegalArgumentException e) {
            throw new IOException("checkpoint " + dir + ": " + TOKENIZER + " is not valid JSON: " + e.getMessage());
        }
        if ("char".equals(t.get("type")) && t.get("alphabet") instanceof String alphabet) return CharTokenizer.fit(alphabet);
        if ("bpe".equals(t.get("type")) && t.get("file") instanceof String file) {
            Path p = dir.resolve(file);
            if (!Files.isRegularFile(p)) throw new IOException("checkpoint " + dir + ": " + TOKENIZER + " points at " + file + ", which is missing");
            return BpeTokenizer.load(p);
        }
        throw new IOException("checkpoint " + dir + ": " + TOKENIZER + " must be {\"type\": \"char\", \"alphabet\": ...} or "
                + "{\"type\": \"bpe\", \"file\": ...}");
    }

    /** "heads is 2 in config.json but 4 in model.safetensors" for every field that differs (or the checksums when unknown). */
    private static String configDiff(String now, String saved) {
        if (saved == null) return "its SHA-256 differs from the one recorded in " + WEIGHTS;
        Map<String, Object> a, b;
        try {
            a = Json.parseObject(now);
            b = Json.parseObject(saved);
        } catch (IllegalArgumentException e) {
            return "it is not the JSON saved with the run";
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        java.util.Set<String> keys = new java.util.TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String k : keys)
            if (!java.util.Objects.equals(a.get(k), b.get(k)))
                out.add(k + " is " + (a.containsKey(k) ? Json.write(a.get(k)) : "missing") + " in " + CONFIG + " but "
                        + (b.containsKey(k) ? Json.write(b.get(k)) : "missing") + " in " + WEIGHTS);
        return out.isEmpty() ? "the same fields written differently" : String.join("; ", out);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
