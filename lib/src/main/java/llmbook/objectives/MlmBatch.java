package llmbook.objectives;

/**
 * A batch for BERT-style pre-training: {@code B} noised sequences of {@code T} ids (row-major, padded), their token
 * types (segment A = 0, B = 1), real lengths, masked-LM targets (−1 = not scored) and, for a sentence-pair task, one
 * label per sequence (or null).
 */
public record MlmBatch(int[] input, int[] types, int[] lengths, int[] targets, int[] labels, int B, int T) {
    public MlmBatch {
        if (B < 1 || T < 1) throw new IllegalArgumentException("MlmBatch: need B >= 1 and T >= 1, got " + B + ", " + T);
        if (input.length != B * T || targets.length != B * T || (types != null && types.length != B * T))
            throw new IllegalArgumentException("MlmBatch: input, types and targets must hold B·T = " + B * T + " ids, got "
                    + input.length + ", " + (types == null ? "null" : types.length) + ", " + targets.length);
        if (lengths.length != B) throw new IllegalArgumentException("MlmBatch: " + lengths.length + " lengths for B = " + B);
        if (labels != null && labels.length != B) throw new IllegalArgumentException("MlmBatch: " + labels.length + " labels for B = " + B);
    }

    /** Scored masked-LM positions. */
    public int scored() {
        int n = 0;
        for (int t : targets) if (t >= 0) n++;
        return n;
    }
}
