package llmbook.quant;

import java.util.List;
import java.util.Map;

import llmbook.nn.Linear;
import llmbook.nn.Module;
import llmbook.tensor.Tensor;

/**
 * Post-training weight quantisation of any model: every {@link Linear} found by its module path becomes a
 * {@link QuantizedLinear} (INT8 or INT4, block-wise). Embeddings, norms and a tied output head stay fp32: they are
 * lookups or tiny, and the tied head shares the embedding table. Q50.
 * <pre>{@code
 * Decoder m = Pretrained.gpt("moby-dick", 2000).model();
 * int n = Quantize.linears(m, QuantType.INT8, 32);      // in place; returns the number of layers replaced
 * long bytes = Quantize.weightBytes(m);                 // what the weights now take
 * }</pre>
 */
public final class Quantize {
    private Quantize() {}

    /** Replaces every {@link Linear} of {@code model} in place; returns how many. */
    public static int linears(Module model, QuantType type, int blockSize) {
        List<String> paths = model.namedModules().entrySet().stream().filter(e -> e.getValue() instanceof Linear).map(Map.Entry::getKey).toList();
        if (paths.isEmpty()) throw new IllegalArgumentException("Quantize: " + model.getClass().getSimpleName() + " has no Linear layer to quantise");
        for (String p : paths) model.replace(p, old -> new QuantizedLinear((Linear) old, type, blockSize));
        return paths.size();
    }

    /** Bytes of every weight: fp32 parameters at 4 bytes each plus each quantised layer's codes and scales. */
    public static long weightBytes(Module model) {
        long b = 0;
        for (Tensor t : model.parameters()) b += 4L * t.numel();
        for (Module m : model.namedModules().values()) if (m instanceof QuantizedLinear q) b += q.weight.bytes();
        return b;
    }
}
