package llmbook.longctx;

import java.util.Map;
import llmbook.attention.Rope;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * The same weights read at a longer context: a RoPE model has no position table, so a model of context 4·T is the
 * trained one with a longer causal mask — and, optionally, a {@link Rope.Scaling} that maps the new positions onto
 * angles the model has seen. Chapter 13.
 * <pre>{@code
 * Decoder at128 = ...;                                                       // trained at context 128, RoPE positions
 * Decoder pi  = ContextExtension.extend(at128, 512, Rope.Scaling.linear(4)); // position interpolation
 * Decoder raw = ContextExtension.extend(at128, 512, Rope.Scaling.NONE);      // nothing changed: unseen angles past 128
 * double[] byPos = Evaluation.lossByPosition(pi, valIds, 512, 32, 7);
 * }</pre>
 * The copy is a new model (its own parameters): fine-tuning it leaves the original alone.
 */
public final class ContextExtension {
    private ContextExtension() {}

    /**
     * A copy of {@code trained} with context {@code context} and RoPE scaled by {@code scaling}. ALiBi and no-position
     * models read any length as they are (their rule does not depend on the context): for them {@code scaling} must be NONE.
     */
    public static Decoder extend(Decoder trained, int context, Rope.Scaling scaling) {
        TransformerConfig c = trained.config;
        boolean anyLength = c.positions() == TransformerConfig.Positions.NONE || c.positions() == TransformerConfig.Positions.ALIBI;
        if (c.positions() != TransformerConfig.Positions.ROPE && !anyLength)
            throw new IllegalArgumentException("ContextExtension: the model must use RoPE, ALiBi or no positions (a " + c.positions()
                    + " model has no rule for positions past its context " + c.context() + ")");
        if (anyLength && scaling.kind() != Rope.Scaling.Kind.NONE)
            throw new IllegalArgumentException("ContextExtension: RoPE scaling " + scaling + " needs a RoPE model, not " + c.positions());
        Decoder out = new Decoder(c.toBuilder().context(context).ropeScaling(scaling).build(), new Rng(0));
        Map<String, Tensor> from = trained.namedParameters(), to = out.namedParameters();
        if (!from.keySet().equals(to.keySet()))
            throw new IllegalStateException("ContextExtension: parameter names differ: " + from.keySet() + " vs " + to.keySet());
        for (var e : to.entrySet()) {
            Tensor src = from.get(e.getKey()).contiguous(), dst = e.getValue();
            if (!java.util.Arrays.equals(src.shape(), dst.shape()))
                throw new IllegalStateException("ContextExtension: " + e.getKey() + " is " + java.util.Arrays.toString(src.shape()) + " in the trained model and "
                        + java.util.Arrays.toString(dst.shape()) + " in the extended one");
            System.arraycopy(src.data(), src.offset(), dst.data(), dst.offset(), src.numel());
        }
        return out;
    }
}
