package llmbook.peft;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import llmbook.io.SafeTensors;
import llmbook.io.Weights;
import llmbook.nn.Layer;
import llmbook.nn.Linear;
import llmbook.nn.Module;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * Bottleneck adapters (Houlsby et al., 2019): a small trainable MLP added after a frozen sub-layer, inside the
 * residual stream. Q17.
 * <pre>
 *   h = f(x);   y = h + W_up · gelu(W_down · h + b_down) + b_up       W_down (m, C), W_up (C, m); m ≪ C
 * </pre>
 * Only the 2·m·C + m + C numbers of each adapter train; {@code f} (an attention output projection, a whole MLP, …)
 * stays frozen. W_up and b_up start at zero, so the adapter starts as the identity and the adapted model's first
 * forward is the base model's, bit for bit; W_down is PyTorch's default {@link Linear} initialisation. Houlsby et al.
 * put one after the attention output ({@code h.*.attn.o}) and one after the MLP ({@code h.*.mlp}) of every block.
 *
 * <p>Unlike LoRA the adapter is non-linear, so it cannot be merged into W: it costs two thin matmuls per token at
 * inference too. Paths: the adapter is {@code adapter_down}, {@code adapter_up}; the wrapped module moves under
 * {@code base} ({@code h.0.mlp.w1} becomes {@code h.0.mlp.base.w1}).
 * <pre>{@code
 * BottleneckAdapter.apply(gpt, "h.*.mlp", 128, 16, rng);            // one adapter per block, only they train
 * BottleneckAdapter.save(Path.of("sotu.adapter.safetensors"), gpt, Map.of());
 * Peft.attach(freshBase, Path.of("sotu.adapter.safetensors"));     // wraps the same paths and loads the adapters
 * }</pre>
 */
public final class BottleneckAdapter extends Module implements Layer {
    public final int width, bottleneck;

    /** Metadata key written by {@link #save}: the bottleneck size m. */
    public static final String BOTTLENECK = "adapter_bottleneck";

    /** Wraps {@code base} (a layer whose output has {@code width} features) with an adapter of {@code bottleneck} units. */
    public BottleneckAdapter(Module base, int width, int bottleneck, Rng rng) {
        if (!(base instanceof Layer))
            throw new IllegalArgumentException("BottleneckAdapter: can only follow a one-input layer, not a " + base.getClass().getSimpleName());
        if (bottleneck < 1 || width < 1)
            throw new IllegalArgumentException("BottleneckAdapter: width and bottleneck must be >= 1, got " + width + " and " + bottleneck);
        this.width = width;
        this.bottleneck = bottleneck;
        module("base", base);
        module("adapter_down", new Linear(width, bottleneck, rng));
        Linear up = module("adapter_up", new Linear(bottleneck, width, rng));
        java.util.Arrays.fill(up.weight.data(), 0f);
        java.util.Arrays.fill(up.bias.data(), 0f);
    }

    @Override
    public Tensor forward(Tensor x) {                                             // (..., ·) -> (..., C)
        Tensor h = this.<Layer>child("base").forward(x);
        if (h.shape()[h.dim() - 1] != width)
            throw new IllegalArgumentException("BottleneckAdapter: the wrapped layer gives " + java.util.Arrays.toString(h.shape())
                    + " but the adapter expects a last dimension of " + width);
        Tensor a = this.<Layer>child("adapter_down").forward(h).gelu();          // (..., m)
        return h.add(this.<Layer>child("adapter_up").forward(a));
    }

    /** Scalars in the adapter: 2·m·C + m + C. */
    public long adapterParameters() { return 2L * bottleneck * width + bottleneck + width; }

    @Override
    public String toString() { return "BottleneckAdapter(" + width + " → " + bottleneck + " → " + width + ")"; }

    /**
     * Wraps every module under {@code pattern} ({@code "h.*.mlp"}, {@code "h.*.attn.o"}) in an adapter of
     * {@code bottleneck} units on {@code width} features, then freezes every parameter except the adapters'. Returns
     * the number of modules wrapped.
     */
    public static int apply(Module model, String pattern, int width, int bottleneck, Rng rng) {
        int n = model.replace(pattern, old -> new BottleneckAdapter(old, width, bottleneck, rng));
        model.freeze("");
        adapters(model).values().forEach(t -> t.requiresGrad(true));
        return n;
    }

    static boolean isAdapter(String name) { return name.contains("adapter_down.") || name.contains("adapter_up."); }

    /** The adapter tensors (every {@code adapter_down.*}, {@code adapter_up.*}) by path. */
    public static Map<String, Tensor> adapters(Module model) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        model.namedParameters().forEach((k, v) -> { if (isAdapter(k)) out.put(k, v); });
        return out;
    }

    /** Every adapter of {@code model} by path. */
    public static Map<String, BottleneckAdapter> layers(Module model) {
        Map<String, BottleneckAdapter> out = new LinkedHashMap<>();
        model.namedModules().forEach((k, v) -> { if (v instanceof BottleneckAdapter a) out.put(k, a); });
        return out;
    }

    /** Writes the adapters alone (safetensors, by path, with a checksum) plus {@code metadata}, atomically. */
    public static void save(Path file, Module model, Map<String, String> metadata) throws IOException {
        Map<String, Tensor> ad = adapters(model);
        if (ad.isEmpty()) throw new IllegalArgumentException("BottleneckAdapter.save: " + model.getClass().getSimpleName() + " has no adapters");
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put(BOTTLENECK, layers(model).values().stream().map(a -> String.valueOf(a.bottleneck)).distinct().reduce((a, b) -> a + "," + b).orElse(""));
        Weights.save(file, ad, meta);
    }

    /**
     * Wraps {@code model} (the base the adapters were trained on) at every path that has an {@code adapter_down} in
     * {@code file}, at that tensor's size, and loads the adapters: base + adapter. Returns the file's metadata.
     */
    public static Map<String, String> attach(Module model, Path file) throws IOException {
        var contents = SafeTensors.read(file);
        String suffix = ".adapter_down.weight";
        int wrapped = 0;
        for (var e : contents.tensors().entrySet()) {
            if (!e.getKey().endsWith(suffix)) continue;
            String path = e.getKey().substring(0, e.getKey().length() - suffix.length());
            int[] shape = e.getValue().shape();                                  // (m, C)
            int n;
            try {
                n = model.replace(path, old -> new BottleneckAdapter(old, shape[1], shape[0], new Rng(0)));
            } catch (IllegalArgumentException ex) {
                n = 0;
            }
            if (n != 1) throw new IOException(file + ": adapter '" + path + "' names no layer of this model (is it the base the adapter was trained on?)");
            wrapped++;
        }
        if (wrapped == 0) throw new IOException(file + ": holds no adapter_down tensors");
        model.freeze("");
        adapters(model).values().forEach(t -> t.requiresGrad(true));
        return Weights.load(file, adapters(model), "model's bottleneck adapters");
    }
}
