package llmbook.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import llmbook.tensor.Tensor;

/**
 * Parameters that share optimizer settings. The usual split: weight decay on matrices (rank ≥ 2: linear weights,
 * embeddings) and none on vectors (biases, norm gains) — {@link #decayMatricesOnly}.
 */
public record ParamGroup(List<Tensor> params, float weightDecay) {
    public ParamGroup {
        params = List.copyOf(params);
        if (weightDecay < 0) throw new IllegalArgumentException("ParamGroup: weightDecay must be >= 0, got " + weightDecay);
    }

    /** Two groups: rank ≥ 2 parameters with {@code weightDecay}, the rest (biases, norms) with 0. */
    public static List<ParamGroup> decayMatricesOnly(Map<String, Tensor> named, float weightDecay) {
        List<Tensor> decay = new ArrayList<>(), noDecay = new ArrayList<>();
        for (Tensor t : named.values()) (t.dim() >= 2 ? decay : noDecay).add(t);
        return List.of(new ParamGroup(decay, weightDecay), new ParamGroup(noDecay, 0f));
    }
}
