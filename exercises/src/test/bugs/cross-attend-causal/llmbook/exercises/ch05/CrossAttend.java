package llmbook.exercises.ch05;

/**
 * Reference solution. Exercise ch05.cross_attend — the cross-attention that joins a decoder to its encoder in a seq2seq transformer (Q4).
 *
 * <p>In a translation model the encoder reads the whole source sentence; the decoder, writing the target one token at
 * a time, looks back at the source through cross-attention: its queries (one per target position) meet the keys and
 * values the encoder produced (one per source position). Decide what each target position may see of the source.
 * The source batch is padded: only its first {@code memoryLength} positions are real words, the rest must have no
 * effect at all. Scores are scaled by 1/√d as in self-attention; the source and target lengths differ.
 *
 * <p>Worked example: two target positions, three source positions of which two are real, all queries and keys zero,
 * values [1], [3], [100]: both target positions give [2] (the mean of the two real values).
 * Run {@code ./llmbook grade 5} to see your score.
 */
public final class CrossAttend {
    private CrossAttend() {}

    /** q (T_target, d), k (T_source, d), v (T_source, d_v) → (T_target, d_v); source positions ≥ memoryLength are padding. */
    public static double[][] attend(double[][] q, double[][] k, double[][] v, int memoryLength) {
        int tq = q.length, d = q[0].length, dv = v[0].length;
        double[][] out = new double[tq][dv];
        for (int i = 0; i < tq; i++) {
            double[] w = new double[memoryLength];
            double max = Double.NEGATIVE_INFINITY, z = 0;
            for (int j = 0; j < memoryLength; j++) {
                if (j > i) { w[j] = Double.NEGATIVE_INFINITY; continue; }   // classic bug: a causal mask on the source
                double s = 0;
                for (int c = 0; c < d; c++) s += q[i][c] * k[j][c];
                w[j] = s / Math.sqrt(d);
                max = Math.max(max, w[j]);
            }
            for (int j = 0; j < memoryLength; j++) { w[j] = Math.exp(w[j] - max); z += w[j]; }
            for (int j = 0; j < memoryLength; j++) for (int c = 0; c < dv; c++) out[i][c] += w[j] / z * v[j][c];
        }
        return out;
    }
}
