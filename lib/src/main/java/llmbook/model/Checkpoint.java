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
            Map<String, Object> m = Json.parseObject(Files.readString(f));
            return isLegacy(m) ? legacyConfig(m) : TransformerConfig.fromJson(m);
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
        if (isLegacy(Json.parseObject(Files.readString(dir.resolve(CONFIG))))) w = fromLegacy(w, config);
        String want = w.metadata().get(CONFIG_SHA), got = sha256(Files.readString(dir.resolve(CONFIG)));
        if (want != null && !want.equals(got))
            throw new IOException("checkpoint " + dir + ": " + CONFIG + " is not the config these weights were saved with (its SHA-256 is "
                    + got.substring(0, 12) + "…, " + WEIGHTS + " records " + want.substring(0, Math.min(12, want.length())) + "…)");
        Decoder model = new Decoder(config, new Rng(0));
        return new Loaded(model, tok, Weights.load(dir.resolve(WEIGHTS), w, model));
    }

    /**
     * A run folder of the book's first GPT ({@code model.gpt.Gpt}, before issue 11): its config.json has no "arch"
     * ({@code vocab, context, layers, heads, width, dropout}); its weights are named {@code h0.attn_qkv.weight} etc.
     */
    private static boolean isLegacy(Map<String, Object> m) { return !m.containsKey("arch") && m.containsKey("width"); }

    /** The gpt2 preset with the legacy config's sizes: the same architecture. */
    private static TransformerConfig legacyConfig(Map<String, Object> m) {
        int v = legacyInt(m, "vocab"), c = legacyInt(m, "width");
        if (!(m.getOrDefault("dropout", 0.0) instanceof Number d)) throw new IllegalArgumentException("'dropout' is not a number");
        return TransformerConfig.gpt2(v).toBuilder().context(legacyInt(m, "context")).layers(legacyInt(m, "layers")).heads(legacyInt(m, "heads"))
                .width(c).hidden(4 * c).dropout(d.floatValue()).build();
    }

    private static int legacyInt(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Number n)) throw new IllegalArgumentException("'" + key + "' is missing or not a number");
        return n.intValue();
    }

    /** The legacy tensors under the Decoder's paths, the packed {@code attn_qkv} (3C, C) sliced into q, k, v; the checksum is checked first. */
    private static SafeTensors.Contents fromLegacy(SafeTensors.Contents w, TransformerConfig cfg) throws IOException {
        String crc = w.metadata().get(Weights.CRC);
        if (crc != null && !crc.equals(Long.toHexString(Weights.checksum(w.tensors()))))
            throw new IOException(WEIGHTS + " is corrupt: its tensors' checksum is " + Long.toHexString(Weights.checksum(w.tensors()))
                    + " but the header records " + crc);
        List<String> attn = new ArrayList<>(new Decoder(cfg.withLayers(1).withVocab(1), new Rng(0)).get("h.0.attn").children().keySet());   // q, k, v, o
        Map<String, SafeTensors.Entry> out = new LinkedHashMap<>();
        for (var e : w.tensors().entrySet()) {
            String name = e.getKey();
            SafeTensors.Entry t = e.getValue();
            if (name.equals("wte") || name.equals("wpe")) { out.put(name + ".weight", t); continue; }
            if (!name.startsWith("h") || name.startsWith("h.")) { out.put(name, t); continue; }   // ln_f.*, or not legacy: left to the checks
            int dot = name.indexOf('.');
            String prefix = "h." + name.substring(1, dot) + ".", rest = name.substring(dot + 1);
            if (rest.startsWith("attn_qkv.")) {
                String kind = rest.substring("attn_qkv.".length());                         // weight (3C, C) or bias (3C)
                int n = t.data().length / 3;
                int[] shape = t.shape().clone();
                shape[0] /= 3;
                for (int k = 0; k < 3; k++)
                    out.put(prefix + "attn." + attn.get(k) + "." + kind, new SafeTensors.Entry(shape, Arrays.copyOfRange(t.data(), k * n, (k + 1) * n)));
            } else {
                String mapped = rest.replace("attn_proj.", "attn." + attn.get(3) + ".").replace("mlp_fc.", "mlp.w1.").replace("mlp_proj.", "mlp.w2.");
                out.put(prefix + mapped, t);
            }
        }
        Map<String, String> meta = new LinkedHashMap<>(w.metadata());
        meta.remove(Weights.CRC);
        return new SafeTensors.Contents(out, meta);
    }

    /** The tokenizer saved in a run folder by {@link #save}. */
    public static Tokenizer loadTokenizer(Path dir) throws IOException {
        Path f = dir.resolve(TOKENIZER);
        if (!Files.isRegularFile(f)) throw new IOException("checkpoint " + dir + " has no " + TOKENIZER);
        Map<String, Object> t;
        try {
            t = Json.parseObject(Files.readString(f));
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

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
