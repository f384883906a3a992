package llmbook.peft;

import llmbook.nn.Module;

/**
 * Parameter-efficient fine-tuning by choosing what to unfreeze. Q17.
 * <ul>
 *   <li>{@link #bitFit}: BitFit (Ben Zaken et al., 2021) — train only the bias vectors (≈ 0.1 % of a transformer's
 *       parameters; here every bias of the linear layers and norms).</li>
 *   <li>{@link #only}: train only the parameters under some path patterns (e.g. the norms, or the last block).</li>
 * </ul>
 * The other methods change the model's structure: {@link Lora} (low-rank updates), {@link QLoraLinear} (the same on a
 * 4-bit base), {@link BottleneckAdapter} (small MLPs after frozen sub-layers), {@link PromptTuning} (trainable virtual
 * tokens). {@link #attach} puts a saved LoRA or bottleneck adapter file onto its base.
 */
public final class Peft {
    private Peft() {}

    /** Freezes everything, then unfreezes every parameter named {@code bias} at any depth; returns the scalars now trainable. */
    public static long bitFit(Module model) {
        model.freeze("");
        long n = 0;
        for (var e : model.namedParameters().entrySet())
            if (e.getKey().equals("bias") || e.getKey().endsWith(".bias")) { e.getValue().requiresGrad(true); n += e.getValue().numel(); }
        if (n == 0) throw new IllegalArgumentException("Peft.bitFit: " + model.getClass().getSimpleName() + " has no biases (a model built without them?)");
        return n;
    }

    /**
     * Bytes of the model's weights as held: 4 per fp32 parameter, plus each {@link QLoraLinear}'s 4-bit base (codes and
     * scales, {@link llmbook.quant.QuantizedTensor#bytes}).
     */
    public static long weightBytes(Module model) {
        long b = 4L * model.numParameters();
        for (Module m : model.namedModules().values()) if (m instanceof QLoraLinear q) b += q.base.bytes();
        return b;
    }

    /** Bytes of training state beyond the weights: a gradient and AdamW's two moments (fp32) per trainable parameter. */
    public static long trainingStateBytes(Module model) { return 12L * model.numTrainable(); }

    /**
     * Wraps {@code model} (the base an adapter file was trained on) as the file says and loads it: LoRA/QLoRA files
     * ({@code lora_A} tensors) go to {@link Lora#attach}, bottleneck adapter files ({@code adapter_down}) to
     * {@link BottleneckAdapter#attach}. Returns the file's metadata. {@code ./llmbook generate --adapter FILE} is this.
     */
    public static java.util.Map<String, String> attach(Module model, java.nio.file.Path file) throws java.io.IOException {
        var names = llmbook.io.SafeTensors.read(file).tensors().keySet();
        if (names.stream().anyMatch(k -> k.endsWith(".lora_A"))) return Lora.attach(model, file);
        if (names.stream().anyMatch(k -> k.endsWith(".adapter_down.weight"))) return BottleneckAdapter.attach(model, file);
        throw new java.io.IOException(file + ": neither a LoRA (lora_A) nor a bottleneck adapter (adapter_down) file; it holds "
                + (names.size() <= 4 ? names.toString() : names.stream().limit(4).toList() + " and " + (names.size() - 4) + " more"));
    }

    /** Freezes everything, then unfreezes the parameters under each pattern ({@link Module#unfreeze}); returns the scalars trainable. */
    public static long only(Module model, String... patterns) {
        model.freeze("");
        for (String p : patterns) model.unfreeze(p);
        return model.numTrainable();
    }
}
