package llmbook.exercises.ch04;

/**
 * Exercise ch04.multi_head — ASSEMBLE multi-head causal self-attention from its parts (Q2, Q9, Q41).
 *
 * <p>Build the whole layer the library's {@code llmbook.attention.GroupedQueryAttention} computes (with as many
 * key/value heads as query heads, no RoPE), from plain arrays: project the sequence x (T, C) to queries, keys and
 * values with the given weights and biases ({@code W} is (out, in), as in {@code llmbook.nn.Linear}: y = W·x + b);
 * cut each of them into H heads of width C/H (head h owns features h·C/H … (h+1)·C/H − 1); run causal scaled
 * dot-product attention in every head; put the heads' outputs back side by side; and apply the output projection.
 * The grader draws the weights of a library layer and checks your output against its forward pass.
 *
 * <p>Worked example: T = 1 (a single token can only attend to itself): the output is Wo·(Wv·x + bv) + bo whatever
 * the queries and keys are. Run {@code ./llmbook grade 4} to see your score.
 */
public final class MultiHeadSelfAttention {
    private MultiHeadSelfAttention() {}

    /** x (T, C) → (T, C). Weights (C, C), biases (C). */
    public static double[][] forward(double[][] x, int heads, double[][] wq, double[] bq, double[][] wk, double[] bk,
                                     double[][] wv, double[] bv, double[][] wo, double[] bo) {
        throw new UnsupportedOperationException("TODO ch04.multi_head: project, split into heads, causal attention per head, concatenate, project");
    }

}
