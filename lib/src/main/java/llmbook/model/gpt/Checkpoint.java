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
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import llmbook.tokenizer.BpeTokenizer;
import llmbook.tokenizer.CharTokenizer;
import llmbook.tokenizer.Tokenizer;
import llmbook.util.AtomicFiles;
import llmbook.util.Json;
import llmbook.util.TextFiles;

/**
 * A trained GPT on disk, in one folder: {@code model.safetensors} (the weights, by parameter name, with a CRC-32
 * of their bytes in the header), {@code config.json} (the {@link GptConfig}) and {@code tokenizer.json} (a
 * character vocabulary inline, or {@code {"type": "bpe", "file": "tokenizer.bpe"}} pointing at a saved
 * {@link BpeTokenizer}). Every file is written atomically; loading checks the checksum and that names and shapes
 * match the config exactly, and says what differs.
 */
public final class Checkpoint {
    private Checkpoint() {}

    public static final String WEIGHTS = "model.safetensors", CONFIG = "config.json", TOKENIZER = "tokenizer.json",
            BPE_FILE = "tokenizer.bpe";

    /** A model with the tokenizer it was trained with. */
    public record Loaded(Gpt model, Tokenizer tokenizer, Map<String, String> metadata) {}

    /**
     * Saves weights, config and tokenizer (a {@link CharTokenizer} or a {@link BpeTokenizer}) into {@code dir};
     * {@code metadata} goes into the safetensors header.
     */
    public static void save(Path dir, Gpt model, Tokenizer tokenizer, Map<String, String> metadata) throws IOException {
        if (!(tokenizer instanceof CharTokenizer) && !(tokenizer instanceof BpeTokenizer))
            throw new IllegalArgumentException("Checkpoint: can save a char or BPE tokenizer, not " + tokenizer.getClass().getSimpleName());
        if (tokenizer.vocabSize() != model.config.vocab())
            throw new IllegalArgumentException("Checkpoint: the tokenizer has " + tokenizer.vocabSize() + " ids but the model's vocab is " + model.config.vocab());
        Files.createDirectories(dir);
        Map<String, SafeTensors.Entry> tensors = new LinkedHashMap<>();
        for (var e : model.namedParameters().entrySet())
            tensors.put(e.getKey(), new SafeTensors.Entry(e.getValue().shape(), e.getValue().toArray()));
        String config = configJson(model.config);
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("crc32", Long.toHexString(checksum(tensors)));
        meta.put(CONFIG_KEY, config);                                    // what config.json must say when it is loaded again
        SafeTensors.write(dir.resolve(WEIGHTS), tensors, meta);
        AtomicFiles.writeString(dir.resolve(CONFIG), config + "\n");
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

    /** Loads a folder written by {@link #save}, refusing it with the reason if anything does not fit. */
    public static Loaded load(Path dir) throws IOException {
        for (String f : new String[] {WEIGHTS, CONFIG, TOKENIZER})
            if (!Files.isRegularFile(dir.resolve(f))) throw new IOException("checkpoint " + dir + " has no " + f);
        GptConfig config;
        try {
            config = parseConfig(TextFiles.readUtf8(dir.resolve(CONFIG), "model config"));
        } catch (RuntimeException e) {
            throw new IOException("checkpoint " + dir + ": bad " + CONFIG + ": " + e.getMessage());
        }
        Tokenizer tok = loadTokenizer(dir);
        if (tok.vocabSize() != config.vocab())
            throw new IOException("checkpoint " + dir + ": the tokenizer has " + tok.vocabSize() + " ids but the model's vocab is " + config.vocab());
        SafeTensors.Contents w = SafeTensors.read(dir.resolve(WEIGHTS));
        String crc = w.metadata().get("crc32");
        if (crc != null && !crc.equals(Long.toHexString(checksum(w.tensors()))))
            throw new IOException("checkpoint " + dir + ": " + WEIGHTS + " is corrupt: its tensors' checksum is "
                    + Long.toHexString(checksum(w.tensors())) + " but the header records " + crc);
        String saved = w.metadata().get(CONFIG_KEY);               // absent in checkpoints written before it was recorded
        if (saved != null) {
            GptConfig was;
            try {
                was = parseConfig(saved);
            } catch (RuntimeException e) {
                throw new IOException("checkpoint " + dir + ": " + WEIGHTS + " records a bad config: " + e.getMessage());
            }
            if (!was.equals(config))
                throw new IOException("checkpoint " + dir + ": " + CONFIG + " does not match the config the weights were trained with ("
                        + configDiff(config, was) + "): was " + CONFIG + " edited? Put back " + configJson(was));
        }
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

    /** CRC-32 over every tensor's name, shape and float bits (little-endian), in map order: detects corrupt bytes. */
    public static long checksum(Map<String, SafeTensors.Entry> tensors) {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[4096];
        for (var e : tensors.entrySet()) {
            crc.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            crc.update(Arrays.toString(e.getValue().shape()).getBytes(StandardCharsets.UTF_8));
            int k = 0;
            for (float v : e.getValue().data()) {
                int bits = Float.floatToRawIntBits(v);
                buf[k++] = (byte) bits; buf[k++] = (byte) (bits >>> 8); buf[k++] = (byte) (bits >>> 16); buf[k++] = (byte) (bits >>> 24);
                if (k == buf.length) { crc.update(buf, 0, k); k = 0; }
            }
            crc.update(buf, 0, k);
        }
        return crc.getValue();
    }

    /** The key of the safetensors metadata that holds {@link #CONFIG} as saved, to catch a hand-edited config. */
    static final String CONFIG_KEY = "config";

    private static String configJson(GptConfig c) {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("vocab", c.vocab());
        cfg.put("context", c.context());
        cfg.put("layers", c.layers());
        cfg.put("heads", c.heads());
        cfg.put("width", c.width());
        cfg.put("dropout", (double) c.dropout());
        return Json.write(cfg);
    }

    private static GptConfig parseConfig(String json) {
        Map<String, Object> c = Json.parseObject(json);
        if (!(c.getOrDefault("dropout", 0.0) instanceof Number dropout)) throw new IllegalArgumentException("'dropout' is not a number");
        return new GptConfig(num(c, "vocab"), num(c, "context"), num(c, "layers"), num(c, "heads"), num(c, "width"), dropout.floatValue());
    }

    /** "heads 2 in config.json, 4 in the weights' record" for every field that differs. */
    private static String configDiff(GptConfig now, GptConfig was) {
        String[] names = {"vocab", "context", "layers", "heads", "width", "dropout"};
        Object[] a = {now.vocab(), now.context(), now.layers(), now.heads(), now.width(), now.dropout()};
        Object[] b = {was.vocab(), was.context(), was.layers(), was.heads(), was.width(), was.dropout()};
        java.util.List<String> d = new java.util.ArrayList<>();
        for (int i = 0; i < names.length; i++)
            if (!a[i].equals(b[i])) d.add(names[i] + " is " + a[i] + " in " + CONFIG + " but " + b[i] + " in " + WEIGHTS);
        return String.join(", ", d);
    }

    private static int num(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Number n)) throw new IllegalArgumentException("'" + key + "' is missing or not a number");
        if (n.doubleValue() != Math.rint(n.doubleValue()) || Math.abs(n.doubleValue()) > Integer.MAX_VALUE)
            throw new IllegalArgumentException("'" + key + "' must be a whole number, got " + n);
        return n.intValue();
    }

}
