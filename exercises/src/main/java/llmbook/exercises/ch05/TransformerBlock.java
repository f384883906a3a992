package llmbook.exercises.ch05;

import java.util.Map;
import llmbook.tensor.Tensor;

/**
 * Exercise ch05.transformer_block — ASSEMBLE a whole pre-norm GPT block from its parts (Q4, Q10, Q11).
 *
 * <p>Write the forward pass of the block the book's GPT stacks ({@code llmbook.model.transformer.Block} under
 * {@code TransformerConfig.gpt2}), for one sequence x (T, C), using only arrays: the residual stream x goes through
 * two sub-layers, each reading a LayerNorm'd copy of the stream (ε = 1e-5, with its own scale and shift) and ADDING
 * its output back to the stream — first causal multi-head self-attention (as in exercise ch04.multi_head), then the
 * MLP (widen to 4C, GELU in GPT-2's tanh form, back to C). The weights come by the library's parameter names:
 * {@code ln_1.weight}, {@code ln_1.bias}, {@code attn.q.weight}, {@code attn.q.bias} (and k, v, o), {@code ln_2.*},
 * {@code mlp.w1.weight}, {@code mlp.w1.bias}, {@code mlp.w2.weight}, {@code mlp.w2.bias}; read them with the given
 * {@link #matrix} and {@link #vector}. The grader draws a random library block and compares your output with its
 * forward pass on the same weights.
 *
 * <p>Worked example: with every weight and bias zero, each LayerNorm outputs zeros, both sub-layers output zeros, and
 * the block returns its input unchanged (that is the residual stream). Run {@code ./llmbook grade 5} to see your score.
 */
public final class TransformerBlock {
    private TransformerBlock() {}

    /** x (T, C) → (T, C), the block's parameters by name. */
    public static double[][] forward(double[][] x, int heads, Map<String, Tensor> params) {
        throw new UnsupportedOperationException("TODO ch05.transformer_block: x + attn(ln_1(x)), then x + mlp(ln_2(x))");
    }


    /** Given: the weight matrix {@code name} (out, in) as arrays, e.g. {@code matrix(params, "attn.q.weight")}. */
    public static double[][] matrix(Map<String, Tensor> params, String name) {
        Tensor p = params.get(name);
        if (p == null) throw new IllegalArgumentException("no parameter " + name + " among " + params.keySet());
        int[] s = p.shape();
        float[] d = p.contiguous().data();
        double[][] m = new double[s[0]][s[1]];
        for (int i = 0; i < s[0]; i++) for (int j = 0; j < s[1]; j++) m[i][j] = d[i * s[1] + j];
        return m;
    }

    /** Given: the vector {@code name} (a bias or a LayerNorm scale or shift) as an array. */
    public static double[] vector(Map<String, Tensor> params, String name) {
        Tensor p = params.get(name);
        if (p == null) throw new IllegalArgumentException("no parameter " + name + " among " + params.keySet());
        float[] d = p.contiguous().data();
        double[] v = new double[p.numel()];
        for (int i = 0; i < v.length; i++) v[i] = d[i];
        return v;
    }
}
