package llmbook.peft;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import llmbook.io.Weights;
import llmbook.nn.Linear;
import llmbook.nn.Module;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * LoRA on a whole model: wrap every {@link Linear} whose path matches a pattern, freeze everything else, save and
 * load the adapters alone. Q13, Q17.
 * <pre>{@code
 * int n = Lora.apply(gpt, "h.*.attn.q", 8, 16f, rng);          // 4 layers wrapped; only lora_A, lora_B train
 * new Trainer(gpt, cfg, sotuTrain, sotuVal).run();
 * Lora.save(Path.of("sotu.lora.safetensors"), gpt, Map.of());  // a few KB: the adapters, not the model
 * Lora.load(Path.of("sotu.lora.safetensors"), otherGpt);       // into a model wrapped the same way
 * Lora.merge(gpt);                                             // W += (α/r)·B·A: plain linear layers again
 * }</pre>
 */
public final class Lora {
    private Lora() {}

    /** Metadata keys written by {@link #save}. */
    public static final String RANK = "lora_rank", ALPHA = "lora_alpha";

    /** {@link #apply(Module, String, int, float, float, Rng)} without LoRA dropout. */
    public static int apply(Module model, String pattern, int r, float alpha, Rng rng) { return apply(model, pattern, r, alpha, 0f, rng); }

    /**
     * Wraps every module under {@code pattern} ({@code *} = one path segment; {@code "h.*.attn.q"},
     * {@code "h.*.mlp.*"}) in a {@link LoraLinear} of rank {@code r}, then freezes every parameter of the model except
     * the adapters. Returns the number of layers wrapped; refuses a match that is not a {@link Linear}.
     */
    public static int apply(Module model, String pattern, int r, float alpha, float dropout, Rng rng) {
        int n = model.replace(pattern, old -> {
            if (!(old instanceof Linear lin))
                throw new IllegalArgumentException("Lora.apply: '" + pattern + "' matches a " + old.getClass().getSimpleName() + ", not a Linear");
            return new LoraLinear(lin, r, alpha, dropout, rng);
        });
        model.freeze("");
        for (var e : model.namedParameters().entrySet())
            if (isAdapter(e.getKey())) e.getValue().requiresGrad(true);
        return n;
    }

    /**
     * QLoRA: like {@link #apply} but each matched {@link Linear}'s weight is replaced by its NF4 form (blocks of 64,
     * double-quantised scales) in a {@link QLoraLinear}; the fp32 weight is dropped. Returns the number wrapped.
     */
    public static int applyQuantized(Module model, String pattern, int r, float alpha, float dropout, Rng rng) {
        int n = model.replace(pattern, old -> {
            if (!(old instanceof Linear lin))
                throw new IllegalArgumentException("Lora.applyQuantized: '" + pattern + "' matches a " + old.getClass().getSimpleName() + ", not a Linear");
            return new QLoraLinear(lin, llmbook.quant.QuantizedTensor.nf4(lin.weight), r, alpha, dropout, rng);
        });
        model.freeze("");
        for (var e : model.namedParameters().entrySet())
            if (isAdapter(e.getKey())) e.getValue().requiresGrad(true);
        return n;
    }

    /** Every {@link Linear} path of {@code model} except the output head, for "LoRA on all linears". */
    public static List<String> linearPaths(Module model) {
        return model.namedModules().entrySet().stream().filter(e -> e.getValue() instanceof Linear).map(Map.Entry::getKey)
                .filter(p -> !p.equals("head")).toList();
    }

    static boolean isAdapter(String name) { return name.endsWith(".lora_A") || name.endsWith(".lora_B") || name.equals("lora_A") || name.equals("lora_B"); }

    /** The adapter tensors (every {@code lora_A}, {@code lora_B}) by path. */
    public static Map<String, Tensor> adapters(Module model) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        model.namedParameters().forEach((k, v) -> { if (isAdapter(k)) out.put(k, v); });
        return out;
    }

    /** Every {@link LoraLinear} (and {@link QLoraLinear}) of {@code model} by path. */
    public static Map<String, Module> layers(Module model) {
        Map<String, Module> out = new LinkedHashMap<>();
        model.namedModules().forEach((k, v) -> { if (v instanceof LoraLinear || v instanceof QLoraLinear) out.put(k, v); });
        return out;
    }

    /** Folds every adapter into its base weight ({@link LoraLinear#merge}). Returns the number merged. */
    public static int merge(Module model) {
        int n = 0;
        for (Module m : layers(model).values()) if (m instanceof LoraLinear l) { l.merge(); n++; }
        return n;
    }

    /** Takes every adapter back out of its base weight ({@link LoraLinear#unmerge}). */
    public static int unmerge(Module model) {
        int n = 0;
        for (Module m : layers(model).values()) if (m instanceof LoraLinear l) { l.unmerge(); n++; }
        return n;
    }

    /**
     * Folds every adapter into its layer and puts a plain {@link Linear} back in its place, with weight W + ΔW (for
     * QLoRA: the 4-bit Ŵ decoded, + ΔW): a model of the base's shape, saved as an ordinary checkpoint. Returns the
     * number of layers unwrapped.
     */
    public static int mergeAndUnwrap(Module model) {
        int n = 0;
        for (var e : layers(model).entrySet()) {
            n += model.replace(e.getKey(), old -> {
                Linear lin;
                float[] w;
                if (old instanceof LoraLinear l) {
                    lin = new Linear(l.in, l.out, l.bias != null, new Rng(0));
                    w = l.weight.contiguous().toArray();
                    if (!l.isMerged()) { float[] d = l.delta(); for (int i = 0; i < w.length; i++) w[i] += d[i]; }
                    if (l.bias != null) System.arraycopy(l.bias.contiguous().toArray(), 0, lin.bias.data(), 0, l.out);
                } else {
                    QLoraLinear q = (QLoraLinear) old;
                    lin = new Linear(q.in, q.out, q.bias != null, new Rng(0));
                    w = q.base.dequantize();
                    float[] d = LoraLinear.delta(q.loraA.data(), q.loraB.data(), q.in, q.out, q.rank, q.scale);
                    for (int i = 0; i < w.length; i++) w[i] += d[i];
                    if (q.bias != null) System.arraycopy(q.bias.contiguous().toArray(), 0, lin.bias.data(), 0, q.out);
                }
                System.arraycopy(w, 0, lin.weight.data(), 0, w.length);
                return lin;
            });
        }
        return n;
    }

    /**
     * Writes the adapters alone (safetensors, by path, with a checksum) plus {@code metadata} and each layer's rank and
     * α, atomically. The file is {@code 4·Σ r·(in + out)} bytes plus a header.
     */
    public static void save(Path file, Module model, Map<String, String> metadata) throws IOException {
        Map<String, Tensor> ad = adapters(model);
        if (ad.isEmpty()) throw new IllegalArgumentException("Lora.save: " + model.getClass().getSimpleName() + " has no LoRA adapters");
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put(RANK, rankOf(model));
        meta.put(ALPHA, alphaOf(model));
        Weights.save(file, ad, meta);
    }

    /**
     * Copies the adapters in {@code file} into {@code model}, which must be wrapped the same way (same paths, ranks,
     * shapes, α); returns the file's metadata.
     */
    public static Map<String, String> load(Path file, Module model) throws IOException {
        Map<String, Tensor> ad = adapters(model);
        if (ad.isEmpty()) throw new IllegalArgumentException("Lora.load: " + model.getClass().getSimpleName() + " has no LoRA adapters to load " + file + " into");
        var contents = llmbook.io.SafeTensors.read(file);
        String alpha = contents.metadata().get(ALPHA);
        if (alpha != null && !alpha.equals(alphaOf(model)))
            throw new IOException(file + ": the adapters were trained with α = " + alpha + " but the model's layers have α = " + alphaOf(model));
        for (Module m : layers(model).values()) if (m instanceof LoraLinear l && l.isMerged())
            throw new IllegalStateException("Lora.load: unmerge the model first (a merged layer would keep the old ΔW in its weight)");
        return Weights.load(file, ad, "model's LoRA adapters");
    }

    /**
     * Wraps {@code model} (the base the adapters were trained on, unmerged) exactly as the adapter file says — each path
     * that has a {@code lora_A} in the file, at that tensor's rank, with the file's α, in NF4 when the file's
     * {@code method} is QLoRA — and loads the adapters: base + adapter, no merged copy needed. Returns the file's
     * metadata. {@code ./llmbook generate --run BASE --adapter FILE} is this. Q13.
     */
    public static Map<String, String> attach(Module model, Path file) throws IOException {
        var contents = llmbook.io.SafeTensors.read(file);
        String alphaText = contents.metadata().get(ALPHA);
        if (alphaText == null || alphaText.contains(","))
            throw new IOException(file + ": needs one " + ALPHA + " in its metadata to attach, found " + (alphaText == null ? "none" : alphaText)
                    + " (is it a LoRA adapter file written by Lora.save?)");
        float alpha;
        try {
            alpha = Float.parseFloat(alphaText);
        } catch (NumberFormatException e) {
            throw new IOException(file + ": " + ALPHA + " '" + alphaText + "' is not a number");
        }
        boolean quantized = contents.metadata().getOrDefault("method", "").startsWith("qlora");
        int wrapped = 0;
        for (var e : contents.tensors().entrySet()) {
            if (!e.getKey().endsWith(".lora_A")) continue;
            String path = e.getKey().substring(0, e.getKey().length() - ".lora_A".length());
            int r = e.getValue().shape()[0];
            int n;
            try {
                n = quantized ? applyQuantized(model, path, r, alpha, 0f, new Rng(0)) : apply(model, path, r, alpha, 0f, new Rng(0));
            } catch (IllegalArgumentException ex) {
                n = 0;
            }
            if (n != 1) throw new IOException(file + ": adapter '" + path + "' names no Linear layer of this model (is it the base the adapter was trained on?)");
            wrapped++;
        }
        if (wrapped == 0) throw new IOException(file + ": holds no lora_A tensors");
        return load(file, model);
    }

    private static String rankOf(Module model) {
        return layers(model).values().stream().map(m -> String.valueOf(m instanceof LoraLinear l ? l.rank : ((QLoraLinear) m).rank)).distinct()
                .reduce((a, b) -> a + "," + b).orElse("");
    }

    private static String alphaOf(Module model) {
        return layers(model).values().stream().map(m -> String.valueOf(m instanceof LoraLinear l ? l.alpha : ((QLoraLinear) m).alpha)).distinct()
                .reduce((a, b) -> a + "," + b).orElse("");
    }
}
